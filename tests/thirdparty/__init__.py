"""
The demo project with a wide set of third-party apps from PyPI, and a few
models of its own built on the libraries that ship only abstract models
(trees, polymorphic and ordered models, tags, history).
"""
