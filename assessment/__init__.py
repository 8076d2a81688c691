"""The domain of the IOM self-assessment: answers, scoring, the action plan, storage, import and export.

Pure Python: nothing here imports streamlit, so every rule can be tested and used from the command line.
"""
