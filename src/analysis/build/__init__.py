"""Layer 5, the build: the report registry and parameters, rendering notebooks to offline HTML, staleness, the
front page, releases. Runs outside the kernels; nothing below imports it."""
