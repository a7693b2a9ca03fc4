"""Rendering: jinja2 templates to CST, and the CST edits that put the result into a module."""
