"""Tests of the data quality checker (ckanext/opendata_th/quality): pure, no CKAN."""
