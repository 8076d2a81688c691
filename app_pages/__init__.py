"""The app's pages, one file each, and the little they share (``state``, ``components``)."""
