"""CloudFormation for Coal Haul, generated from the models (see infra/generate.py)."""
