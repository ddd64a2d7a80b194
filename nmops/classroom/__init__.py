"""Running a class on a shared server (JupyterHub)."""
