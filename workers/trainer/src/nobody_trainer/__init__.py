"""nobody's voice trainer worker."""
