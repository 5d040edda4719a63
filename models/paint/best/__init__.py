"""Best quality: the stroke plan itself optimised toward the painter's statistics and the input's content
(soft_strokes.py is the differentiable stand-in for the rasteriser, strokes_job.py the job)."""
