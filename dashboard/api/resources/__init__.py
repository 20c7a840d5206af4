"""One module per API resource: its columns and the builder that makes its dataset."""
