"""SQM — service quality management for telecom customer service."""

__version__ = "0.1.0"
