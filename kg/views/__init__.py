"""Views: the `graph.network` projection in, OUT_DIR/views/ out: static vis-network pages for editors.

`gallery.write_all(graph, out_dir)` writes the whole graph, one page per relation family,
article, person and organisation, and the index page listing them.
"""
