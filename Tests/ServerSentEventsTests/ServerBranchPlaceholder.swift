// Placeholder so the package resolves on the `server` branch; the core tests live on their own branch.
