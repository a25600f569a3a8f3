"""Every change to surveys: authoring, answering, distribution (see each module)."""
