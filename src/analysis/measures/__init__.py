"""Layer 2, the measures: numbers and frames computed from the validated tables (selections, counts, event windows,
the calibrated summit tests, the economy series). No sentences: the words are made in analysis.pages."""
