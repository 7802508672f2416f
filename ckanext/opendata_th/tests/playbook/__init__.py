"""Tests of the plain-Python playbook rules (no CKAN needed)."""
