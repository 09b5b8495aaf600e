"""The Textual app. Imported only when the app runs, never by the engine or a worker."""
