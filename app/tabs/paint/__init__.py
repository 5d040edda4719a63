"""The Paint tab: paint or drop in a picture, render it in an artist's style, keep and export the results."""
