"""Names: how an API name (``DescribeFlowLogs``, ``VPCId``, ``cloud-watch-logs``) becomes a
Python name. One word-splitting rule, written once, for every generator.

* :func:`client_method` is botocore's ``xform_name``: the method name of a boto3 client
  (``client.describe_flow_logs``). Wherever generated code or a report shows a boto3 call it
  must be this rule, boto3's own (its exceptions table included:
  ``CreateCachediSCSIVolume`` -> ``create_cached_iscsi_volume``).
* :func:`snake_case` splits a name into lower-case words at its case changes. Two ways of
  treating acronyms are in use, and the generated names depend on which, so the choice is a
  named argument, never a second rule:

  - ``whole_acronyms=False`` (the validators generator: its functions ``validate_<operation>``
    and ``_check_<shape>``, its constants and locals) splits a plural acronym and ``IPv``
    before its last capital, as a plain case change: ``ARNs`` -> ``ar_ns``,
    ``IPv6Address`` -> ``i_pv6_address``;
  - ``whole_acronyms=True`` (the dataclasses generator: field and enum member names) keeps
    them whole: ``ARNs`` -> ``arns``, ``IPv6Address`` -> ``ipv6_address``.

  Both agree on every other name of botocore's models (checked on all 196,000 names of the
  operations, shapes, members and enum values of botocore 1.44's services), and they differ on
  a digit that is not ASCII only as the two generators always did. With either, the result may
  be empty or start with a digit (``3Com`` -> ``3_com``): making an identifier of it is the
  caller's business.
* :func:`constant_case` is :func:`snake_case` in capitals (``_FLOW_LOG_IDS``).

The validators' public names predate this module and keep their rule: for 54 operations of
botocore 1.44 (``DescribeACLs``: ``validate_describe_ac_ls``; boto3 ``describe_acls``) they
differ from boto3's method names.
"""

from __future__ import annotations

import re

from botocore import xform_name  # type: ignore[import-untyped,unused-ignore]

# IPv6 -> Ipv6 (one word with its number), before the split
_IPV = re.compile(r"IPv(?=\d)")
# an acronym's plural (ARNs, VPCs) -> ARNS, VPCS: one word
_ACRONYM_PLURAL = re.compile(r"([A-Z]{2,})s(?=[A-Z\d_]|$)")
# an acronym followed by a word (VPCId -> VPC_Id)
_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
# a word followed by a capital (DryRun -> Dry_Run), then what is not a letter or digit -> "_";
# whole_acronyms counts any Unicode digit as a digit, the other way ASCII digits only
_WORD_END = {False: re.compile(r"([a-z0-9])([A-Z])"), True: re.compile(r"([a-z\d])([A-Z])")}
_SEPARATORS = {False: re.compile(r"[^0-9A-Za-z]+"), True: re.compile(r"[^A-Za-z\d]+")}


def snake_case(name: str, *, whole_acronyms: bool = False) -> str:
    """``CreateFlowLogs`` -> ``create_flow_logs``; ``DescribeDBInstances`` ->
    ``describe_db_instances``; ``whole_acronyms``: see the module docstring."""
    text = name
    if whole_acronyms:
        text = _IPV.sub("Ipv", text)
        text = _ACRONYM_PLURAL.sub(lambda m: m[1] + "S", text)
    text = _ACRONYM_END.sub(r"\1_\2", text)
    text = _WORD_END[whole_acronyms].sub(r"\1_\2", text)
    return _SEPARATORS[whole_acronyms].sub("_", text).strip("_").lower()


def constant_case(name: str) -> str:
    """``FlowLogIds`` -> ``FLOW_LOG_IDS`` (:func:`snake_case` in capitals)."""
    return snake_case(name).upper()


def client_method(operation: str) -> str:
    """The boto3 client method of ``operation`` (botocore's ``xform_name``)."""
    name: str = xform_name(operation)
    return name
