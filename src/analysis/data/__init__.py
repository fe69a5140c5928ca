"""Layer 1, the data: the curated tables' schema, reading and validating them, the reference copies (CNS, CSIS), the
refresh and the audit, the data package's fingerprint and its SQLite copy. Imports nothing else of the package."""
