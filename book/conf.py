"""Sphinx configuration of the kz-internet book (built by ``make book``, see kzlib/book.py).

The book renders the notebooks that ``kzlib reproduce`` already executed: nothing runs
again, and nothing is fetched from the network when the book is built or read.
"""

project = "kz-internet: Internet governance in Kazakhstan"
author = "kz-internet contributors"
copyright = "kz-internet contributors; code MIT, data CC BY 4.0"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_*.md"]  # _*.md are included by index.md

# Notebooks: render the executed copies as they are.
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {}  # the chapters use no widgets; the default loads require.js from a CDN

# Markdown: heading anchors so that the data dictionary's in-page links resolve.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]
suppress_warnings = ["myst.header"]  # chapters may jump heading levels

html_theme = "sphinx_book_theme"
html_title = "kz-internet"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"  # else browsers ask for /favicon.ico and log a 404
html_context = {"default_mode": "light"}  # unset, the theme logs "invalid theme mode" on a first visit
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "navigation_with_keys": False,
    "search_bar_text": "Search the book",
    "show_navbar_depth": 1,
    "article_header_end": [],
}
