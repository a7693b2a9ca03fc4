"""Migrations around the converted classes: the Keras 3 call sites that use their instances."""

from seq2tfdata.migrate.callsites import CallSiteResult, Fix, converted_class_names, fix_call_sites

__all__ = ["CallSiteResult", "Fix", "converted_class_names", "fix_call_sites"]
