"""The open-data playbook's rules as plain Python (no CKAN imports)."""
