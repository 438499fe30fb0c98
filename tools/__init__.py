"""Tools for people working on the journal: the gallery, the demo content, the hx rename."""
