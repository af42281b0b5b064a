"""Exports: the `graph.network` projection (or civic.trig) in, files for other tools out.

GEXF for Gephi, GraphML for networkx, igraph and yEd, CSV tables, JSON-LD and N-Quads, all
written from one table measured once by `analytics` (degree, centrality, community).
"""
