"""Scenario files: schema and YAML loading with line-numbered errors."""
