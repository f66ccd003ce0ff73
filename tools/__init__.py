"""Developer tools: output fingerprints and the mutation check."""
