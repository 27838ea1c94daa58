"""Reports built from the answers the caller may see: W3C PROV documents and case files."""
