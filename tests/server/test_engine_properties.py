"""The derived engine against a model of it, under hypothesis: random sequences of creates,
deletes, state changes, updates, tags and filtered, paginated reads of the made-up Things
service (``tests/fixtures/resources/things.json``), called as the app calls behaviours (a
Context and validated Python params), each read compared with what a plain list of records
says it must answer. ``APIGEN_HYPOTHESIS_EXAMPLES`` runs more (derandomized in CI)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from codegen.loader import load_spec
from codegen.server.behaviours import derived_behaviours
from codegen.server.context import Caller, Context
from codegen.server.errors import ApiError
from codegen.server.state import State
from tests.support.server import THINGS

BEHAVIOURS = derived_behaviours(load_spec(THINGS).model())
NAMES = st.sampled_from(["alpha", "beta", "gamma", "delta"])
KEYS = st.sampled_from(["env", "team", "Name"])
VALUES = st.sampled_from(["red", "blue", "x y", ""])


class Things(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = State(settle_after=0)
        self.ctx = Context(Caller("111122223333", "us-east-1"), "req", self.state)
        self.other = Context(Caller("444455556666", "us-east-1"), "req", self.state)
        # what the engine must hold: id -> record, in creation order
        self.things: dict[str, dict[str, Any]] = {}

    def call(self, operation: str, params: dict[str, Any], ctx: Context | None = None) -> Any:
        return BEHAVIOURS[operation](ctx or self.ctx, params)

    def teardown(self) -> None:
        self.state.close()

    # -- changes --------------------------------------------------------------------------

    @rule(name=NAMES, size=st.none() | st.integers(0, 100))
    def create(self, name: str, size: int | None) -> None:
        params: dict[str, Any] = {"Name": name}
        if size is not None:
            params["Size"] = size
        thing = self.call("CreateThing", params)["Thing"]
        assert thing["ThingId"] not in self.things
        assert thing["Name"] == name and thing.get("Size") == (size if size is not None else 1)
        assert thing["State"] == {"Code": 16, "Name": "available"}  # settles at once here
        self.things[thing["ThingId"]] = {
            "Name": name,
            "Size": thing["Size"],
            "State": "available",
            "Tags": {},
        }

    @precondition(lambda self: self.things)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        thing = data.draw(st.sampled_from(sorted(self.things)))
        self.call("DeleteThing", {"ThingId": thing})
        del self.things[thing]

    @rule(thing=st.sampled_from(["t-00000000000000000", "nonsense"]))
    def delete_unknown(self, thing: str) -> None:
        with pytest.raises(ApiError) as info:
            self.call("DeleteThing", {"ThingId": thing})
        assert info.value.code == "InvalidThingID.NotFound"

    @precondition(lambda self: self.things)
    @rule(data=st.data(), stop=st.booleans())
    def stop_or_start(self, data: st.DataObject, stop: bool) -> None:
        chosen = data.draw(st.lists(st.sampled_from(sorted(self.things)), min_size=1, max_size=3))
        answer = self.call("StopThings" if stop else "StartThings", {"ThingIds": chosen})
        target = "stopped" if stop else "available"
        for change in answer["Things"]:
            previous = self.things[change["ThingId"]]["State"]
            assert change["PreviousState"]["Name"] == previous
            assert change["CurrentState"]["Name"] == target
        for thing in chosen:
            self.things[thing]["State"] = target

    @precondition(lambda self: self.things)
    @rule(data=st.data(), size=st.integers(0, 100))
    def modify(self, data: st.DataObject, size: int) -> None:
        thing = data.draw(st.sampled_from(sorted(self.things)))
        self.call("ModifyThingAttribute", {"ThingId": thing, "Size": size})
        self.things[thing]["Size"] = size

    @precondition(lambda self: self.things)
    @rule(data=st.data(), tags=st.dictionaries(KEYS, VALUES, min_size=1, max_size=3))
    def tag(self, data: st.DataObject, tags: dict[str, str]) -> None:
        chosen = data.draw(st.lists(st.sampled_from(sorted(self.things)), min_size=1, max_size=3))
        pairs = [{"Key": k, "Value": v} for k, v in tags.items()]
        self.call("CreateTags", {"Resources": chosen, "Tags": pairs})
        for thing in chosen:
            self.things[thing]["Tags"].update(tags)

    @precondition(lambda self: self.things)
    @rule(data=st.data(), keys=st.lists(KEYS, min_size=1, max_size=2))
    def untag(self, data: st.DataObject, keys: list[str]) -> None:
        thing = data.draw(st.sampled_from(sorted(self.things)))
        self.call("DeleteTags", {"Resources": [thing], "Tags": [{"Key": k} for k in keys]})
        for key in keys:
            self.things[thing]["Tags"].pop(key, None)

    # -- reads ------------------------------------------------------------------------------

    def expected(self, filters: list[tuple[str, list[str]]]) -> list[str]:
        def field(thing: dict[str, Any], name: str) -> list[str]:
            if name == "name":
                return [thing["Name"]]
            if name == "size":
                return [str(thing["Size"])]
            if name == "thing-state-name":
                return [thing["State"]]
            if name == "tag-key":
                return list(thing["Tags"])
            key = name.removeprefix("tag:")
            return [thing["Tags"][key]] if key in thing["Tags"] else []

        return [
            i
            for i, thing in self.things.items()
            if all(any(v in values for v in field(thing, name)) for name, values in filters)
        ]

    @rule(count=st.integers(2, 9), name=NAMES)
    def create_many(self, count: int, name: str) -> None:
        for size in range(count):
            self.create(name, size % 3)

    def present(self) -> st.SearchStrategy[str]:
        """Every value a stored thing can hold (a filter that finds something), and others.
        A fixed pool: a strategy drawn from what is stored would change when hypothesis
        replays a case (FlakyStrategyDefinition)."""
        sizes_and_states = ["0", "1", "2", "7", "available", "pending", "stopped"]
        return NAMES | KEYS | VALUES | st.sampled_from(sizes_and_states)

    @rule(data=st.data(), page=st.none() | st.integers(5, 7))
    def describe(self, data: st.DataObject, page: int | None) -> None:
        names = st.sampled_from(
            ["name", "size", "thing-state-name", "tag-key", "tag:env", "tag:team"]
        )
        filters = data.draw(
            st.lists(
                st.tuples(names, st.lists(self.present(), min_size=1, max_size=3)), max_size=2
            )
        )
        params: dict[str, Any] = {}
        if filters:
            params["Filters"] = [{"Name": n, "Values": v} for n, v in filters]
        if page is not None:
            params["MaxResults"] = page
        found: list[str] = []
        while True:
            answer = self.call("DescribeThings", params)
            found += [t["ThingId"] for t in answer["Things"]]
            if page is not None:
                assert len(answer["Things"]) <= page
            if "NextToken" not in answer:
                break
            params["NextToken"] = answer["NextToken"]
        assert found == self.expected(filters)

    @precondition(lambda self: self.things)
    @rule(data=st.data(), unknown=st.booleans())
    def describe_by_id(self, data: st.DataObject, unknown: bool) -> None:
        chosen = data.draw(st.lists(st.sampled_from(sorted(self.things)), min_size=1, max_size=4))
        if unknown:
            with pytest.raises(ApiError) as info:
                self.call("DescribeThings", {"ThingIds": [*chosen, "t-0123456789abcdef0"]})
            assert info.value.code == "InvalidThingID.NotFound"
            assert "t-0123456789abcdef0" in info.value.message
            return
        answer = self.call("DescribeThings", {"ThingIds": chosen})
        assert [t["ThingId"] for t in answer["Things"]] == [i for i in self.things if i in chosen]

    @invariant()
    def everything_listed_as_expected(self) -> None:
        answer = self.call("DescribeThings", {})
        listed = {t["ThingId"]: t for t in answer["Things"]}
        assert list(listed) == list(self.things)
        for thing_id, thing in listed.items():
            want = self.things[thing_id]
            assert (thing["Name"], thing["Size"], thing["State"]["Name"]) == (
                want["Name"],
                want["Size"],
                want["State"],
            )
            assert {t["Key"]: t["Value"] for t in thing.get("Tags", [])} == want["Tags"]
        assert self.call("DescribeThings", {}, self.other)["Things"] == []  # another account


Things.TestCase.settings = settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "40")),
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
TestThings = Things.TestCase
