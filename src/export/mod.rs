//! Report exports: map PNGs rendered headlessly from the same model and style as the window.
