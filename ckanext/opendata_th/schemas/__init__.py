"""ckanext-scheming files: the national dataset schema, its presets and the
national catalog's licences (see ``dataset.yaml``)."""
