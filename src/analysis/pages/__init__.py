"""Layer 4, the pages: the words, tables, charts and templates a report shows, one module per report for its
headline and findings. A notebook imports from here (and from the layers below); never from analysis.build."""
