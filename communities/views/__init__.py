"""Community pages: parse input, call one service or selector, render."""
