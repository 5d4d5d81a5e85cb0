"""The botocore bridge: fetch releases, import their models, export ours in their format."""
