"""Tests of the reports rendered as files (pure: no CKAN, no database)."""
