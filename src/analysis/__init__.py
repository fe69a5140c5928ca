"""Curated data and analyses of DPRK weapons testing, diplomacy and UN sanctions."""

__version__ = "0.1.0"
