"""Tests of the data.go.th harvester and its remote client, against the local
thai_gdc server (tests/thai_gdc)."""
