"""A Wagtail site: a page tree of home and blog pages, images, documents, snippets."""
