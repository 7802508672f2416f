"""Reports an agency hands in, rendered as files (XLSX, PDF) from the plain
data the actions return; pure Python, no CKAN."""
