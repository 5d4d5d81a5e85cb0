"""codegen.names: the one word-splitting rule, its two ways with acronyms, and boto3's names."""

from __future__ import annotations

import pytest

from codegen.names import client_method, constant_case, snake_case


@pytest.mark.parametrize(
    ("name", "split", "whole"),
    [
        ("CreateFlowLogs", "create_flow_logs", "create_flow_logs"),
        ("DescribeDBInstances", "describe_db_instances", "describe_db_instances"),
        ("VPCId", "vpc_id", "vpc_id"),
        ("DryRun", "dry_run", "dry_run"),
        ("S3Bucket", "s3_bucket", "s3_bucket"),
        ("cloud-watch-logs", "cloud_watch_logs", "cloud_watch_logs"),
        ("t2.micro", "t2_micro", "t2_micro"),
        ("3Com", "3_com", "3_com"),
        ("", "", ""),
        ("--", "", ""),
        # where the two ways differ: a plural acronym, IPv before a digit
        ("ARNs", "ar_ns", "arns"),
        ("DescribeACLs", "describe_ac_ls", "describe_acls"),
        (
            "PreferredCacheClusterAZs",
            "preferred_cache_cluster_a_zs",
            "preferred_cache_cluster_azs",
        ),
        ("IPv6Address", "i_pv6_address", "ipv6_address"),
        # a digit that is not ASCII is a digit only for whole_acronyms (as each rule always had)
        ("A\u0663B", "a_b", "a\u0663_b"),
    ],
)
def test_snake_case(name: str, split: str, whole: str) -> None:
    assert snake_case(name) == split
    assert snake_case(name, whole_acronyms=True) == whole


def test_constant_case() -> None:
    assert constant_case("FlowLogIds") == "FLOW_LOG_IDS"
    assert constant_case("NotificationARNs") == "NOTIFICATION_AR_NS"


@pytest.mark.parametrize(
    ("operation", "method"),
    [
        ("DescribeFlowLogs", "describe_flow_logs"),
        ("DescribeACLs", "describe_acls"),  # boto3 keeps a plural acronym whole
        ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),  # botocore's exceptions
        ("CreateOAuth2Token", "create_oauth2_token"),
    ],
)
def test_client_method_is_boto3s(operation: str, method: str) -> None:
    assert client_method(operation) == method
