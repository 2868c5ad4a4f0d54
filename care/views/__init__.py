"""care's pages, one module per part of the site (see care/urls.py)."""
