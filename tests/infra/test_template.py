"""The committed CloudFormation template matches the PynamoDB models, deploys in aws and aws-cn, and lints clean."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from pynamodb.indexes import GlobalSecondaryIndex

from backend.localstore.dynamodb_local import REPO_ROOT
from backend.tables import ALL_MODELS

TEMPLATE = os.path.join(REPO_ROOT, "infra", "coalhaul.yaml")
CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")


class CloudFormationLoader(yaml.SafeLoader):
    """SafeLoader that reads the short-form intrinsic tags (!Ref, !Sub, !GetAtt ...) as their long form."""


def _intrinsic(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + tag_suffix: value}


CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@pytest.fixture(scope="module")
def template_text():
    with open(TEMPLATE, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def template(template_text):
    return yaml.load(template_text, Loader=CloudFormationLoader)


@pytest.fixture(scope="module")
def tables(template):
    """{base table name: Properties} for every DynamoDB table in the template."""
    found = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::DynamoDB::Table":
            name = resource["Properties"]["TableName"]["Fn::Sub"]
            assert name.startswith("${TablePrefix}")
            found[name[len("${TablePrefix}") :]] = resource["Properties"]
    return found


def base_name(model):
    return getattr(model.Meta, "base_table_name", model.Meta.table_name)


def key_schema(attributes):
    """[(name, HASH|RANGE)] read straight from the PynamoDB attributes, HASH first."""
    keys = [(n, "HASH") for n, a in attributes.items() if a.is_hash_key]
    return keys + [(n, "RANGE") for n, a in attributes.items() if a.is_range_key]


def expected_indexes(model, want_global):
    """{index name: (key schema, projection type)} of the model's global or local indexes."""
    return {
        name: (key_schema(index.Meta.attributes), index.Meta.projection.projection_type)
        for name, index in model._indexes.items()
        if isinstance(index, GlobalSecondaryIndex) == want_global
    }


def template_indexes(properties, key):
    return {
        i["IndexName"]: (
            [(k["AttributeName"], k["KeyType"]) for k in i["KeySchema"]],
            i["Projection"]["ProjectionType"],
        )
        for i in properties.get(key, [])
    }


def test_every_model_has_exactly_one_table_and_nothing_extra(tables):
    assert sorted(tables) == sorted(base_name(m) for m in ALL_MODELS)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_table_matches_its_model(tables, model):
    table = tables[base_name(model)]
    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == key_schema(model.get_attributes())
    assert template_indexes(table, "GlobalSecondaryIndexes") == expected_indexes(model, want_global=True)
    assert template_indexes(table, "LocalSecondaryIndexes") == expected_indexes(model, want_global=False)
    ttl = model._ttl_attribute()
    assert table.get("TimeToLiveSpecification", {}).get("AttributeName") == (ttl.attr_name if ttl else None)
    types = {n: a.attr_type for n, a in model.get_attributes().items()}
    assert {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]} == {
        name: types[name]
        for name, _ in key_schema(model.get_attributes())
        + [key for index in model._indexes.values() for key in key_schema(index.Meta.attributes)]
    }
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["SSESpecification"]["SSEEnabled"] is True


def test_committed_template_is_what_the_generator_writes_today(template_text):
    from infra.generate import render

    assert template_text == render(ALL_MODELS), "run `.venv/bin/python -m infra.generate` and commit the result"


def test_no_arn_is_hard_coded_to_the_aws_partition(template_text, template):
    assert "arn:aws:" not in template_text
    partitions = re.findall(r"arn:(\$\{[^}]*\}|[^:\s'\"]*):", json.dumps(template))
    assert partitions and set(partitions) == {"${AWS::Partition}"}


def test_lambda_role_reaches_every_table_and_nothing_else(template):
    role = template["Resources"]["LambdaRole"]["Properties"]
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    table_statement = next(s for s in statements if s["Sid"] == "Tables")
    granted = {r["Fn::GetAtt"][0] for r in table_statement["Resource"] if "Fn::GetAtt" in r}
    table_ids = {k for k, v in template["Resources"].items() if v["Type"] == "AWS::DynamoDB::Table"}
    assert granted == table_ids
    for statement in statements:
        assert statement["Resource"] != "*" and "*" not in statement["Action"]
        assert not any(a.endswith(":*") for a in statement["Action"])


def test_receipt_bucket_is_private_encrypted_and_accepts_presigned_puts(template):
    bucket = template["Resources"]["ReceiptsBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert "PUT" in bucket["CorsConfiguration"]["CorsRules"][0]["AllowedMethods"]
    assert bucket["LifecycleConfiguration"]["Rules"]


def test_template_agrees_with_zappa_settings(template):
    with open(os.path.join(REPO_ROOT, "zappa_settings.json"), encoding="utf-8") as handle:
        dev = json.load(handle)["dev"]
    # With manage_roles false, Zappa uses the role named <project>-<stage>-ZappaLambdaExecutionRole.
    assert dev["manage_roles"] is False
    role_name = template["Resources"]["LambdaRole"]["Properties"]["RoleName"]["Fn::Sub"]
    assert role_name.replace("${Stage}", "dev") == f"{dev['project_name']}-dev-ZappaLambdaExecutionRole"
    assert template["Parameters"]["TablePrefix"]["Default"] == dev["aws_environment_variables"]["TABLE_PREFIX"]


def test_cfn_lint_passes_for_a_standard_and_a_china_region():
    done = subprocess.run(
        [CFN_LINT, "-r", "ap-east-1", "cn-northwest-1", "--", TEMPLATE], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
