"""`StrokeStyle`: everything the stroke painter knows about one painter, learned from the paintings.

Stored inside the style checkpoint (models/paint/style.py): the colour habits and the outline colour
as tensors (prefix "strokes."), the brush parameters as JSON in the checkpoint's description. Every
value is checked on load, so a damaged or hand-edited file is a clear error, not a strange picture.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import torch

from .bands import PAINTS
from .colour_map import HUE_BINS, QUANTILES, TINT_LEVELS, ColourHabits

TENSOR_PREFIX = "strokes."

# name: (lowest, highest) for every learned brush parameter; the fitting searches inside these bounds.
BOUNDS: dict[str, tuple[float, float]] = {
    # Upper bounds of brush size and length widened in session 6: Turner's fit sat on both (0.048 of 0.05, 14 of 14).
    "brush_size": (0.008, 0.08),  # radius of the coarsest brush / the picture's long side
    # A stroke is longer than it is wide: at least three steps each way (strokes still end early where the
    # picture changes colour). Shorter, the search turned Van Gogh into a mosaic of pebbles.
    "length": (3.0, 24.0),  # steps each way from a stroke's seed at most (a step is one radius)
    "swirl_open_upper": (0.0, 1.0),  # how much strokes curl in open areas high in the picture (skies)
    "swirl_open_lower": (0.0, 1.0),  # ... in open areas lower down (ground, walls, water)
    "swirl_busy": (0.0, 1.0),  # ... in detailed areas (foliage, crowds)
    "hatch_angle": (-math.pi / 2, math.pi / 2),  # which way parallel strokes lean in open areas
    "hatch_pull": (0.0, 1.0),  # how strongly they keep that angle
    "smoothing": (0.0, 0.85),  # a stroke's inertia: how little it turns from one step to the next
    "simplify": (1.0, 10.0),  # Kuwahara radius at 512 px: how much the picture is flattened first
    "threshold": (0.025, 0.12),  # OKLab difference that still asks for a finer stroke
    "jitter": (0.0, 0.05),  # colour variation from stroke to stroke (broken colour)
    "accents": (0.0, 0.15),  # share of fine strokes in the complementary colour
    "bristles": (0.0, 0.25),  # contrast of the bristle streaks
    "impasto": (0.0, 1.0),  # relief of the paint, lit from the upper left
    "edges": (0.0, 0.6),  # how dark the seams along strokes are (paint ridges, the ground showing through)
    "softness": (0.0, 3.0),  # blur across stroke edges at 512 px (blended, wet-in-wet paint)
    "hue_gather": (0.0, 1.0),  # how far the picture's hues are gathered into the painter's (colour_map.py)
    "grain": (0.0, 0.06),  # lightness spread of the scumble grain (paint dragged thin over the canvas)
    "wash": (0.0, 0.8),  # how far open areas are veiled by a soft wash of their colour (wash.py)
    "glow": (0.0, 1.0),  # how far the picture's lights glow into their surroundings (wash.py)
    # How far each stroke moves to one of the painter's few paints (bands.py), times the palette strength and at
    # most all the way: above 1 (session 7) a painter's strokes take his paints fully at the default palette 0.5.
    "bands": (0.0, 2.0),
    "band_hue": (0.0, 1.0),  # how much a stroke's own colour, beside its lightness, chooses its paints
    "band_contrast": (0.0, 1.0),  # how far apart in lightness a stroke's two paints are sought (bands.REACH)
    "band_vivid": (0.0, 1.0),  # how much the painter's most vivid paints are preferred to his dull ones
    "band_heat": (0.0, 1.0),  # how far the lights take the painter's paints whatever their own colour (a hot sky)
    # How far strokes away from edges run along the level lines of the heavily blurred lightness, up to twice as
    # long (field.contour_flow): long parallel bands along the landscape's contours (Munch's sky and fjord).
    "band_flow": (0.0, 1.0),
    # How far the band heat is kept to the sky (the open areas high in the picture, field.region_memberships): a hot
    # sky, while a grey floor, a white cup or a wall keep their own hue family in the painter's paints.
    "sky_heat": (0.0, 1.0),
    # How far a light pixel in a dark area is spared the cold darks (wash.apply_cool): his light strokes there stay warm.
    "lit_in_darks": (0.0, 1.0),
    # How much of their own colour the picture's subjects keep against the bands (bands.subject_map): a red
    # motorcycle stays red on his orange and teal-black ground.
    "band_keep": (0.0, 1.0),
    # The share of strokes that choose their paint by where they lie across the flow rather than at random
    # (field.flow_streaks): streaks of one paint, band beside band, as in his sky.
    "band_rhythm": (0.0, 1.0),
    # How far the thin strands inside a stroke move toward the other paint of its pair (strands.py): a broad band
    # made of many thin parallel strokes of close colours, as Munch's sky is, rather than one even stripe.
    "band_strands": (0.0, 1.0),
    "lost_edges": (0.0, 1.0),  # how far strokes carry across edges in the lights (lost_edges.py); 0: stop at all
    # How far the picture's own darks are spared the lost edges and the glow (lost_edges.py, wash.py): dark masses
    # (a hull, a rock, a storm cloud) that stay dark and keep their edges against melting lights (Turner's).
    "dark_keep": (0.0, 1.0),
    # How far the open areas' strokes are laid thin and smooth (surface.py): their relief, seams and bristle streaks
    # fade and neighbouring strokes blend over a few pixels, so a flat sky has no wood-grain ripples.
    "calm": (0.0, 1.0),
    # How far the wash is laid in broad sweeps of lighter, warmer and darker, greyer paint along the strokes' flow
    # (sweeps.py): a sketch's flat sky gets the energy of his broad brush instead of one even tint.
    "sweep": (0.0, 1.0),
    # How far the relief and the seams fade in the busy areas (surface.py): a photograph's detail is painted in flat,
    # thin strokes (his fjord and bridge), while open areas and flat sketches, which have no other fine texture,
    # keep the style's relief. One relief for both took photographs or sketches away from Munch (session 11).
    "busy_flat": (0.0, 1.0),
    # How far the wash is scumbled (scumble.py): broken, undirected patches of lighter, warmer and darker, greyer paint
    # a few to a few tens of pixels across, as a dry brush dragged over the open areas leaves them (Turner's). Up to 3:
    # fitted in session 14 it stopped at 1, its old bound, and at 2 his skies' dark masses get their strength (session 18).
    "scumble": (0.0, 3.0),
    # The share of the grid cells in the open areas low in the picture that get a thin dark line along the strokes' flow
    # (hatching.py; none in skies or busy areas): the key block's fine lines that pattern a woodblock print's water,
    # grass and ground (Hokusai's), over flat colour.
    "line_hatch": (0.0, 1.0),
    # How far a stroke's colour jitter keeps the stroke's own hue (plan.py): the broken colour of one area stays in
    # its colour family, lighter and darker, duller and more vivid strokes side by side (Van Gogh's blue sky of
    # cobalt, pale and deep blue dashes), where a jitter in any direction scatters pink and lime dabs over it.
    "jitter_hue": (0.0, 1.0),
    # How deep the top of the sky is graded (bokashi.py): a band of the sky's own colour, darker and more vivid, along
    # the top of the picture's open areas, fading smoothly into the plain sky below (a woodblock print's graded sky).
    "bokashi": (0.0, 1.0),
    # How far that grade is his Prussian blue printed over the sky (bokashi.py) rather than the sky's own colour
    # deepened: a cream sky graded in its own hue goes olive-brown, his cream skies grade into deep blue.
    "bokashi_ink": (0.0, 1.0),
    # How far each tone of the picture moves toward the painter's tint of that tone (colour_map.tint_tones), times the
    # palette strength and at most all the way: his cold blue-green darks, his chrome-yellow lights, his cream paper.
    "tone_tint": (0.0, 2.0),
    # How far the lights take the painter's tint of their tone whatever their own colour (colour_map.tint_tones), times
    # the palette strength and at most all the way: a woodblock print's lights are its bare cream paper, a pale blue sky
    # or a peach petal too.
    "paper": (0.0, 2.0),
    # How far the picture's dark areas take the painter's tint of his darkest tone, over the glow (wash.cool_map), times
    # the palette strength and at most all the way: Munch's blue-green black beside his orange sky.
    "cold_darks": (0.0, 2.0),
    # How far the cold darks reach into lighter and more vivid dark areas (wash.cool_map): his olive and brown dark
    # bands turn blue-green black too, not only the greys; a dark red keeps half its colour.
    "cold_reach": (0.0, 1.0),
    # How much more vivid a dark area may be and still take most of the cold darks' tint (wash.cool_map): the half
    # share's chroma times 1 + this. His darks are olive, green and teal only; our warm dark paints (a red-brown table's
    # shadows, a sky's darker orange streaks) left the darkest third leaning orange (Munch's hue_contrast_orange -1.6 SD).
    "cold_vivid": (0.0, 2.0),
    # How far the bands' preference for the painter's most vivid paints (`band_vivid`) is kept to the sky, as
    # `sky_heat` keeps the heat: Munch's blood orange burns in a sky, a table top's lights take his ochres.
    "sky_vivid": (0.0, 1.0),
    # How far the cold darks' tint runs through the hues of the painter's dark paints (wash.dark_tints), the areas in
    # their own hue order, instead of being his one darkest tint: Munch's darks run from olive to teal.
    "dark_range": (0.0, 1.0),
    # How much deeper in chroma the cold darks' one tint is laid than the painter's darkest tint (times 1 + this;
    # darkest_tint): that tint is the mean (a, b) of darks of several hues, greyer than any of them (Hokusai's 0.033,
    # his darks' own chroma 0.04-0.07 print by print: Prussian blue, teal, indigo black).
    "deep_darks": (0.0, 2.0),
    # How strongly the paper grain carries broad, soft blotches 8-16 px across (surface.baren_grain), times the grain:
    # a woodblock's inked areas printed unevenly by the baren (Hokusai's skies and seas), where the grain was a fine
    # speckle only.
    "baren": (0.0, 2.0),
    # How far the baren's blotches leave the open areas high in the picture (surface.baren_areas): his skies are printed
    # flat or in a smooth grade (bokashi), where an even blotch clouded a mid-tone dusk sky.
    "flat_sky": (0.0, 1.0),
    # How many more of the baren's blotches the clearly open areas low in the picture take (times 1 + this;
    # surface.baren_areas): his seas and grounds carry the printing's texture his skies do not.
    "baren_ground": (0.0, 2.0),
    # How far the baren's blotches leave the busy areas (surface.baren_areas): Munch's blotches soften the ribbing of
    # his long, parallel bands in the open areas, where a photograph's busy detail already runs every way.
    "baren_open": (0.0, 1.0),
    # How far the seams along the strokes' sides are blurred (Gaussian sigma, px at 512; surface.finish_surface): each
    # seam follows its stroke's pixel-stepped edge, a dotted dark line through Munch's bands. No wider than the relief's
    # own blur (0.8 px at 512: surface._relief_sigma), whose reach the relief's box already holds.
    "seam_blur": (0.0, 0.8),
    # How far the relief's light and shade move the paint's chroma with its lightness (surface.shade_chroma): at 1 a
    # seam or a shaded side loses as much of its chroma as of its lightness (a shadow of the same paint), a lit ridge
    # pales toward white as far as it lightens. Shaded in lightness alone, a light orange's seams were dark vivid
    # orange-brown lines (Munch's README sketch: three quarters of its dark orange pixels, his darks' lean to orange).
    "shade_chroma": (0.0, 2.0),
    # The lightness contrast between 8-16 px patches (the root of the lightness's band energy there, as the painter
    # match measures it, at 512 px) toward which each picture's painting is stretched half way, by one lightness gain
    # worked out from the plan (tone_gain.py): the colour map and the bands flattened a contrasty photograph's values
    # and gave a flat sketch more than Munch paints. Measured on the plan's canvas, which the surface then softens.
    "coarse_contrast": (0.0, 0.1),
    # How far a busy area's detail is drawn out along its own edges before any stroke is planned (busy_flow.py): the
    # detail of a photograph's pagoda or garage, which runs every way, laid along one flow as his shore and rail are.
    "busy_flow": (0.0, 1.0),
    # How far the thin strands inside each stroke are laid lighter and paler or deeper and more vivid than the stroke
    # (strands.dash_colours; for a style without band strands): his broken colour inside each stroke, pale-blue, white
    # and cobalt dashes side by side along its curve (Van Gogh's skies), not one flat oval of paint.
    "dashes": (0.0, 1.0),
    # How much broader the swirls are than field.SWIRL_SCALE (1: twice): neighbouring strokes turn together and a sky
    # circles in broad eddies (his Starry Night) instead of short straight strokes lying criss-cross.
    "swirl_breadth": (0.0, 2.0),
    # How far the contours fade along an edge whose darker side is itself light (outline.py): a sun or a lit sail
    # against a light sky is left unlined, its blaze running into the haze (Turner's); a dark thing keeps its line.
    "unlined_lights": (0.0, 1.0),
    # How far the picture's hottest light blazes out into the wash round it (blaze.py): a pale core, and ragged tongues
    # and veils of its gold breaking into the vapour, where a sun was a yellow disc with a soft rim (Turner's).
    "blaze": (0.0, 1.0),
    # How far the whole picture is laid over, last, with fine broken flecks of lighter, warmer and darker, cooler paint
    # a few pixels across (mottle.py): a dry brush's broken paint over his skies and seas (Turner's), where the wash
    # left them smooth and the strokes' own streaks all ran one way.
    "mottle": (0.0, 1.0),
    # How far the wash mixes the painter's paints as if their pairs were sought without the band contrast (plan.py):
    # strokes of paints far apart in lightness, over a wash that stays soft (no seam where its pair of paints changes).
    "even_wash": (0.0, 1.0),
    # The share of the strokes laid smooth, with no grain (surface.dry_strokes); the rest drag the grain harder, so the
    # picture holds as much of it: a loaded brush's crisp stroke beside a dry one's scumble, not felt over every stroke.
    "smooth_strokes": (0.0, 0.9),
    # How far the dry strokes gather in patches (surface.dry_choice), rather than being chosen stroke by stroke: whole
    # places laid smooth beside dry, broken ones, as his surface varies from place to place.
    "dry_patches": (0.0, 1.0),
    # How far the open light places (a mid-toned sky, a pale wall: surface.open_lights) are laid in smooth strokes, their
    # dry ones sent to the busy or darker places (surface.dry_choice), as many of them: gathered in a mid-toned blue
    # sky, the dry strokes' dark gaps read as grit at full size, where his sky's strokes lie loaded and his fields broken.
    "smooth_lights": (0.0, 1.0),
    # How far the smooth strokes (`smooth_strokes`) are laid without the seam along their sides (surface.py): a loaded
    # brush's stroke meets its neighbour in clean colour; only a dry brush thins at its sides and shows the ground.
    "clean_sides": (0.0, 1.0),
    # How deep a scene's water is graded in the sky's ink (sea_grade.py): a band under its horizon and the front deepening,
    # as a print's sea is printed (Hokusai's Kazusa Sea Route); a photograph's water is not found, so not graded.
    "sea_grade": (0.0, 1.0),
    # The share of the contours drawn as one joined line (outline._joined) rather than a row of beads: a contour is
    # traced in 2.5 px steps and a thin one (1-2 px) stamped one disc a step, so its discs do not touch; a woodblock's
    # key-block line is one unbroken cut line (Hokusai's).
    "joined_line": (0.0, 1.0),
    # The share of the grain on a stroke that runs along it as bristle ridges (ridges.py), the rest undirected: a dry
    # brush's streaks where the speckle glittered on it like sequins.
    "ridges": (0.0, 1.0),
    # The share of the finest brush's cells, over patches of the picture, that take a last small dash in a strongly
    # contrasting colour (dash_layer.py): his cobalt and pale yellow dashes side by side, where a flat sky was a few
    # broad strokes of close colours.
    "dash_layer": (0.0, 1.0),
    # How far each stroke is turned from the field by its own random angle (up to a right angle at 1), where the field
    # runs one way over an area (scatter.py): strokes laid every which way across his dark masses, where neighbouring
    # strokes along one flow drew parallel stripes (Turner's).
    "scatter": (0.0, 1.0),
    # How far the picture the strokes aim at is reduced to a few flat colours (blocks.py), each area printed in one ink
    # as a woodblock's are, where a photograph's areas are shaded (Hokusai's).
    "blocks": (0.0, 1.0),
    # How far the lights' hues turn toward the hue of the painter's lightest tint (colour_map.turn_lights), times the
    # palette strength: a photograph's peach and orange lights lean to his chrome yellow, its blue sky stays blue.
    "yellow_lights": (0.0, 1.0),
    # How far the paper grain leaves the lights for the inks (surface.bare_lights): a woodblock's lights are the bare
    # paper, smooth, and its grain lies in the inked mid-tones and darks (Hokusai's).
    "bare_lights": (0.0, 1.0),
    # How far the broad strokes in open areas are laid narrower along the same paths (plan.SLENDER): long dashes over
    # the flat ground, as his skies are, where strokes as wide as the brush lay pebble-ovals side by side.
    "slender": (0.0, 1.0),
    # How far the picture the strokes aim at is darkened in its mid-tones and darks (low_key.py: its lightness raised to
    # the power 1 + this times the palette strength), its lights kept: his dark masses round a few bright lights.
    "low_key": (0.0, 2.0),
    # How far the picture's lights beyond the painter's share of them sink (low_key.dimmed): his few bright lights,
    # where a photograph's sky or wall was light over a third of the picture (Turner's).
    "dim_lights": (0.0, 2.0),
    # How much of the rest of the way to their paint's colour the strokes that take their darker paint go
    # (bands.dark_paints_colour): his darks in his blue-grey paints, where a photograph's brown darks kept their warmth
    # and a stroke's light and dark paints differed less in hue than his (Turner's).
    "band_dark_colour": (0.0, 1.0),
    # How much of its chroma the lighter paint of a stroke's pair loses, its hue kept (bands.banded_pairs): his lights
    # a pale greenish cream, where his lightest paint, a lemon, lit half of every mid-tone's strokes (Turner's).
    "band_dull_lights": (0.0, 1.0),
    # How much of a lighter sweep's or scumble patch's move in the wash (sweeps.swept) goes toward the painter's pale
    # cream (the blaze's core, sweeps.creamed) instead of lighter and warmer: his sky's lights cream, where lightening
    # and warming them ran past white into a lemon yellow (Turner's).
    "cream_sweeps": (0.0, 1.0),
    # How far the blaze's heart (`blaze`: blaze.py, its heat where it is laid) is spared the darker sweeps and scumble
    # patches (blaze.spared): the hottest light stays the lightest place, whole, where they laid grey holes in a sun's
    # cream core (Turner's).
    "blaze_heart": (0.0, 1.0),
    # How much wider the last layer's dashes (`dash_layer`) are than the finest brush (1: twice): his streaks of
    # contrasting paint inside the bands, 8-10 px wide at 512 (Munch's sky and fjord), where the finest brush's 5-px
    # dashes were Van Gogh's grains.
    "dash_width": (0.0, 2.0),
    # How far the wash and the calm spare the open areas low in the picture (wash.rough_ground): his foreground sea in
    # rough, broken strokes under a veiled sky, where a sketch's flat ground was veiled and smoothed like its sky.
    "rough_ground": (0.0, 1.0),
    # How far the grain breaks the paint to show the ground (surface.ground_gaps) rather than lightening and darkening it
    # both ways: a dry brush's paint catches on the canvas's tooth and leaves gaps of the ground between (Van Gogh's dry
    # strokes), where an even grain glittered white and grey over pale paint.
    "ground_gaps": (0.0, 1.0),
    # How far the strokes' colour jitter varies from place to place (plan.JITTER_PATCH; at 1 from none to three times):
    # passages of flat colour beside passages of contrasting strokes, where an even jitter broke every part alike
    "jitter_patches": (0.0, 1.0),
    # How much farther the busiest areas are drawn out along a broader flow (`busy_flow`; 1: twice as far and broad, by
    # the square of how busy, where their detail runs every way, a subject spared): a pagoda's or a garage's every-way
    # detail at 8-16 px into his long parallel streaks.
    "flow_reach": (0.0, 2.0),
    # The least straight-line span over path length a last-layer dash (`dash_layer`) needs to be laid (dash_layer.py):
    # 0 lays every dash; higher leaves out the dashes that curl into rings round a small shape (a tree's crown, the sun).
    "dash_straight": (0.0, 1.0),
    # How far the scattered strokes (`scatter`) curl, each one way round along its length (scatter.bends: up to a right
    # angle from its seed to each end at 1): his sea's strokes sweep round with the waves, where turned straight they
    # crossed as sticks (Turner's).
    "curl": (0.0, 1.0),
    # How soon a curled stroke (`curl`) runs on straight: its curl held to (1 - this) of a right angle each way from its
    # seed (brush.trace's `most_bend`), so a long stroke arcs and then runs on along the field, where at a right angle
    # each way it hooked back on itself in a half circle (the README sketch's ground; Turner's).
    "curl_straight": (0.0, 1.0),
    # How far the `scatter` spares the strokes on a drawn subject's clear outline in an open area (field.edges_of): the
    # strokes keep along a house against the sky, where turned across it they dissolved it into sticks (Turner's).
    "scatter_edges": (0.0, 1.0),
    # How densely a green field is drawn as bands of thin blades (grass.py): his fields drawn as grass (Hokusai's
    # Ejiri), where a sketch's green ground was one flat area.
    "grass": (0.0, 1.0),
    # How far the surface's finest texture (bristle streaks, grain) is laid unevenly from place to place
    # (surface.load_map): thin, smooth patches beside loaded ones, as much texture on the whole; his finest texture
    # is blotchy, where every stroke's even bristle streaks made it an even grey (Munch's).
    "uneven_surface": (0.0, 1.0),
    # How far the bristle streaks vary the paint's chroma along with its lightness (surface.finish_surface): each
    # bristle carries its own mix, so the finest texture is coloured; lightness-only streaks left the finest colour
    # too even against the finest lightness (Munch's fine_colour_ratio -0.7 SD).
    "streak_colour": (0.0, 2.0),
    # How far, in radians, the light paint turns toward orange on the warm side of each stroke's broad streaks
    # (surface.warm_streaks): his light bands are streaked with yellow and orange through red or cream, where each of
    # ours was one paint (Munch's).
    "warm_streaks": (0.0, 1.5),
    # How far apart in lightness, in colour_map.TONE_TOLERANCE, two colours count as one tone when the tones' tints and
    # the paper are given out by lightness rank (colour_map.lightness_ranks): a flat sky's JPEG ringing beside a sun or
    # a roof, a hair darker than the sky, kept its own blue among the sky's cream paper, a ring of pale specks (Hokusai's).
    "tone_tolerance": (0.0, 1.0),
    # How far the contours round a light in a light surround (a sun in a pale sky) are moved onto their edge's crest
    # (outline._round_lights): one thin line round the sun, where thirty contours traced with inertia drifted apart
    # into a grey ring 5 px wide (Hokusai's).
    "light_rims": (0.0, 1.0),
    # How far a green field takes his light blue-green paint under the dark blades (grass.field_painted), with `grass`:
    # Ejiri's pale field, where the colour map gave a dusk village's field the painter's dark paints (Hokusai's).
    "field_paint": (0.0, 1.0),
    # How far a dark area the picture paints green takes his foliage's blue-green in place of the cold darks' tint
    # (wash.green_kept), with `cold_darks`: a sketch's tree crown was a navy disc beside green hills (Hokusai's).
    "green_darks": (0.0, 1.0),
    # How far a dark area the picture paints green is painted in his key block's clumps, each rounded top lined and lit
    # in his lighter blue-green (foliage.py): a sketch's tree crown was one flat dark disc (Hokusai's).
    "foliage": (0.0, 1.0),
    # How far the strokes of dark paint in open places (a sketch's flat tree crown: surface.open_darks) are laid smooth,
    # their dry ones sent to the busy or lighter places (surface.dry_choice), as many of them: the dry strokes' gaps
    # over dark paint show the lighter ground, pale specks in a dark crown where his dark greens lie loaded (Van Gogh's).
    "smooth_darks": (0.0, 1.0),
    # How far the strokes in the open part of the picture's sky (a sketch's dusk sky: surface.open_sky) are laid smooth,
    # whatever its lightness, their dry ones sent to the busy places and the land below (surface.dry_choice), as many of
    # them: a mid-toned mauve sky, neither light nor dark enough for the two above, kept patches of dark grit where his
    # skies lie in loaded strokes (Van Gogh's).
    "smooth_sky": (0.0, 1.0),
    # How far a scene's pale kept thing keeps its own hue where his tone tints would turn it into another hue family
    # (colour_map.own_hues): a blossoming crown's pink was painted in his cream (Van Gogh's).
    "pale_own_hue": (0.0, 1.0),
    # How far the edges inside a scene's kept thing lose their contours where both sides are light (outline.inside_things):
    # a blossoming crown's lit lumps were each ringed in a dark line like a cloud (Van Gogh's).
    "unlined_inside": (0.0, 1.0),
    "outline": (0.0, 1.0),  # how many edges get a drawn contour, and how dark
    "outline_width": (0.5, 4.0),  # contour radius at 512 px
}
# Parameters added after styles were first shipped: a style saved without them paints as before.
ADDED_LATER = dict.fromkeys(
    (
        "hue_gather",
        "grain",
        "wash",
        "glow",
        "bands",
        "band_hue",
        "band_contrast",
        "band_vivid",
        "band_heat",
        "lost_edges",
        "band_flow",
        "band_keep",
        "band_rhythm",
        "dark_keep",
        "calm",
        "band_strands",
        "sweep",
        "busy_flat",
        "line_hatch",
        "jitter_hue",
        "bokashi",
        "tone_tint",
        "scumble",
        "cold_darks",
        "busy_flow",
        "dashes",
        "swirl_breadth",
        "bokashi_ink",
        "unlined_lights",
        "blaze",
        "paper",
        "smooth_strokes",
        "joined_line",
        "sky_heat",
        "ridges",
        "mottle",
        "sea_grade",
        "lit_in_darks",
        "cold_reach",
        "even_wash",
        "dash_layer",
        "dry_patches",
        "smooth_lights",
        "clean_sides",
        "scatter",
        "blocks",
        "yellow_lights",
        "sky_vivid",
        "slender",
        "low_key",
        "dark_range",
        "bare_lights",
        "deep_darks",
        "baren",
        "flat_sky",
        "baren_ground",
        "dash_width",
        "rough_ground",
        "ground_gaps",
        "dash_straight",
        "flow_reach",
        "curl",
        "curl_straight",
        "scatter_edges",
        "grass",
        "uneven_surface",
        "dim_lights",
        "band_dark_colour",
        "band_dull_lights",
        "cream_sweeps",
        "blaze_heart",
        "jitter_patches",
        "streak_colour",
        "tone_tolerance",
        "light_rims",
        "warm_streaks",
        "field_paint",
        "green_darks",
        "baren_open",
        "foliage",
        "seam_blur",
        "smooth_darks",
        "unlined_inside",
        "smooth_sky",
        "pale_own_hue",
        "cold_vivid",
        "shade_chroma",
        "coarse_contrast",
    ),
    0.0,
)
LAYERS = 4
LAYER_RATIO = 0.55


@dataclass
class StrokeStyle:
    colours: ColourHabits
    outline_colour: torch.Tensor = field(default_factory=lambda: torch.tensor([0.25, 0.0, -0.05]))  # OKLab
    paints: torch.Tensor | None = None  # (PAINTS, 3) OKLab, the painter's few paints (bands.py); None: no bands
    brush_size: float = 0.022
    length: float = 6.0
    swirl_open_upper: float = 0.5
    swirl_open_lower: float = 0.0
    swirl_busy: float = 0.2
    hatch_angle: float = 0.0
    hatch_pull: float = 0.3
    smoothing: float = 0.35
    simplify: float = 4.0
    threshold: float = 0.045
    jitter: float = 0.02
    accents: float = 0.05
    bristles: float = 0.08
    impasto: float = 0.3
    edges: float = 0.2
    softness: float = 0.3
    hue_gather: float = 0.0
    grain: float = 0.0
    wash: float = 0.0
    glow: float = 0.0
    bands: float = 0.0
    band_hue: float = 0.0
    band_contrast: float = 0.0
    band_vivid: float = 0.0
    band_heat: float = 0.0
    sky_heat: float = 0.0
    lit_in_darks: float = 0.0
    band_flow: float = 0.0
    band_keep: float = 0.0
    band_rhythm: float = 0.0
    band_strands: float = 0.0
    lost_edges: float = 0.0
    dark_keep: float = 0.0
    calm: float = 0.0
    sweep: float = 0.0
    busy_flat: float = 0.0
    line_hatch: float = 0.0
    jitter_hue: float = 0.0
    bokashi: float = 0.0
    bokashi_ink: float = 0.0
    tone_tint: float = 0.0
    paper: float = 0.0
    scumble: float = 0.0
    cold_darks: float = 0.0
    cold_reach: float = 0.0
    cold_vivid: float = 0.0
    coarse_contrast: float = 0.0
    busy_flow: float = 0.0
    dashes: float = 0.0
    swirl_breadth: float = 0.0
    unlined_lights: float = 0.0
    blaze: float = 0.0
    smooth_strokes: float = 0.0
    joined_line: float = 0.0
    ridges: float = 0.0
    mottle: float = 0.0
    sea_grade: float = 0.0
    even_wash: float = 0.0
    dash_layer: float = 0.0
    dry_patches: float = 0.0
    smooth_lights: float = 0.0
    clean_sides: float = 0.0
    scatter: float = 0.0
    blocks: float = 0.0
    yellow_lights: float = 0.0
    bare_lights: float = 0.0
    sky_vivid: float = 0.0
    slender: float = 0.0
    low_key: float = 0.0
    dim_lights: float = 0.0
    band_dark_colour: float = 0.0
    band_dull_lights: float = 0.0
    cream_sweeps: float = 0.0
    blaze_heart: float = 0.0
    dark_range: float = 0.0
    deep_darks: float = 0.0
    baren: float = 0.0
    flat_sky: float = 0.0
    baren_ground: float = 0.0
    baren_open: float = 0.0
    seam_blur: float = 0.0
    shade_chroma: float = 0.0
    dash_width: float = 0.0
    rough_ground: float = 0.0
    ground_gaps: float = 0.0
    dash_straight: float = 0.0
    flow_reach: float = 0.0
    curl: float = 0.0
    curl_straight: float = 0.0
    scatter_edges: float = 0.0
    grass: float = 0.0
    uneven_surface: float = 0.0
    jitter_patches: float = 0.0
    streak_colour: float = 0.0
    warm_streaks: float = 0.0
    tone_tolerance: float = 0.0
    light_rims: float = 0.0
    field_paint: float = 0.0
    green_darks: float = 0.0
    foliage: float = 0.0
    smooth_darks: float = 0.0
    smooth_sky: float = 0.0
    pale_own_hue: float = 0.0
    unlined_inside: float = 0.0
    outline: float = 0.3
    outline_width: float = 1.5

    @property
    def swirl(self) -> torch.Tensor:
        return torch.tensor([self.swirl_open_upper, self.swirl_open_lower, self.swirl_busy])

    @property
    def darkest_tint(self) -> torch.Tensor:
        """The (2,) tint (a, b) his dark areas are cooled to (wash.py): the darkest of his tone tints with its chroma
        times 1 + `deep_darks`, its hue kept. Only a style with tone tints has one."""
        if self.colours.tints is None:
            raise ValueError("this style has no tone tints")
        return self.colours.tints[0] * (1 + self.deep_darks)

    def brush_parameters(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in BOUNDS}

    def with_parameters(self, values: dict[str, float]) -> StrokeStyle:
        """A copy with some brush parameters changed, each kept inside its bounds."""
        clipped: dict[str, Any] = {
            name: min(max(float(v), BOUNDS[name][0]), BOUNDS[name][1]) for name, v in values.items()
        }
        return replace(self, **clipped)

    def to_tensors(self) -> dict[str, torch.Tensor]:
        tensors = {
            **self.colours.to_tensors(TENSOR_PREFIX),
            f"{TENSOR_PREFIX}outline_colour": self.outline_colour.float(),
        }
        if self.paints is not None:
            tensors[f"{TENSOR_PREFIX}paints"] = self.paints.float()
        return tensors

    def to_json(self) -> dict[str, Any]:
        return self.brush_parameters()

    @classmethod
    def from_checkpoint(cls, tensors: dict[str, torch.Tensor], description: dict[str, Any]) -> StrokeStyle:
        """Rebuild from a checkpoint's tensors and its "strokes" JSON; ValueError says what is wrong."""
        expected = {
            "lightness": (QUANTILES,),
            "chroma": (QUANTILES,),
            "hues": (HUE_BINS,),
            "warmth": (2,),
            "outline_colour": (3,),
        }
        for name, shape in expected.items():
            tensor = tensors.get(TENSOR_PREFIX + name)
            if tensor is None or tuple(tensor.shape) != shape or not torch.isfinite(tensor).all():
                raise ValueError(f"its stroke colours ({name}) are missing or damaged")
        if not isinstance(description, dict):
            raise ValueError("its stroke parameters are not a table")
        values = {}
        for name, (low, high) in BOUNDS.items():
            value = description.get(name, ADDED_LATER.get(name))
            # A value a little outside today's bounds (a style fitted when they were wider) is brought
            # inside them; a wild one is refused.
            span = high - low
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or not low - span <= value <= high + span
            ):
                raise ValueError(f"its stroke parameter {name!r} is missing or far outside {low:g} to {high:g}")
            values[name] = min(max(float(value), low), high)
        # The paints are optional: a style saved before bands has none, and paints no bands.
        paints = tensors.get(TENSOR_PREFIX + "paints")
        if paints is not None and (tuple(paints.shape) != (PAINTS, 3) or not torch.isfinite(paints).all()):
            raise ValueError("its paints are damaged")
        if paints is None and values["bands"] > 0:
            raise ValueError("it paints in bands but its paints are missing")
        # The tints by tone are optional too: a style saved before session 13 has none, and tints no tone.
        tints = tensors.get(TENSOR_PREFIX + "tints")
        if tints is not None and (tuple(tints.shape) != (TINT_LEVELS, 2) or not torch.isfinite(tints).all()):
            raise ValueError("its stroke colours (tints) are damaged")
        if tints is None and values["tone_tint"] > 0:
            raise ValueError("it tints its tones but its tints are missing")
        if tints is None and values["cold_darks"] > 0:
            raise ValueError("it cools its darks but its tints are missing")
        return cls(
            colours=ColourHabits.from_tensors(tensors, TENSOR_PREFIX),
            outline_colour=tensors[TENSOR_PREFIX + "outline_colour"].float(),
            paints=None if paints is None else paints.float(),
            **values,
        )


def stroke_style_from_palette(palette) -> StrokeStyle:
    """Default brushes with colour habits measured on colours drawn from a palette mixture (a `PaletteGMM`):
    for styles saved before the stroke renderer, which kept no other record of the paintings' colours."""
    from ..colour import srgb_to_oklab

    colours = torch.from_numpy(palette.sample(20_000, seed=0)).float()
    lab = srgb_to_oklab(colours).T.reshape(3, 1, -1)
    return StrokeStyle(colours=ColourHabits.measure([lab]))


def describe(style: StrokeStyle) -> dict[str, Any]:
    """Readable summary (for logs and the training report)."""
    summary = asdict(style)
    summary.pop("colours")
    summary.pop("paints")
    summary["outline_colour"] = [round(float(v), 3) for v in style.outline_colour]
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in summary.items()}
