"""Where the things that stand on the ground or float on the water go.

Rules of thumb painters use: the focal subject at the focal point (learned), a little way into the
distance so it sits in its setting; heavy masses (cypresses, a forest edge, a harbour wall) on the
heavy side (learned); trees gather round buildings; a road leads the eye to the subject; figures
walk the road or cross the bridge; boats moor by the harbour wall or ride the sea, the nearest the
biggest. Each item is queued with the row it stands on, and the composer draws them far to near.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import land, structures, things

if TYPE_CHECKING:
    from .composer import _Drawing


def place_standing(d: _Drawing) -> None:
    from .composer import _Item

    stage, rng, plan, pen = d.stage, d.rng, d.plan, d.pen
    w = stage.width

    def add(y: float, draw, lift: float = 0.0) -> None:
        d.items.append(_Item(y, _behind_the_edge(d, y, lift, draw)))

    # Where the focal building stands: the learned focal point's column, a little into the distance.
    focal_n = float(np.clip((plan.focal_y - plan.horizon) / max(1 - plan.horizon, 0.05), 0.08, 0.3))
    focal_y = stage.y_at(focal_n * rng.uniform(0.8, 1.2))

    if d.has("forest"):
        y = stage.y_at(rng.uniform(0.08, 0.2))
        reach = rng.uniform(0.35, 0.75) * w
        x0, x1 = (-0.02 * w, reach) if plan.mass_side < 0 else (w - reach, 1.02 * w)
        add(y, lambda y=y, x0=x0, x1=x1: land.draw_forest(pen, y, x0, x1))
        d.at("forest", (x0 + x1) / 2, y)

    buildings: list[tuple[float, float]] = []
    if d.has("village"):
        y = stage.y_at(float(np.clip(focal_n, 0.12, 0.28)) * rng.uniform(0.85, 1.1))
        spread = w * rng.uniform(0.16, 0.28)
        # on a cliff, back from its edge
        x, y, lift = stage.standing(y, d.focal_x, 3, 1.5 + 0.5 * spread / stage.eye(y)) or (d.focal_x, y, 0.0)
        church = x + rng.normal(0, stage.eye(y)) if d.has("church") else None
        add(
            y,
            lambda x=x, y=y, church=church, lift=lift: structures.draw_village(
                pen, x, y, spread, church, d.light_side, lift
            ),
            lift,
        )
        d.at("village", x, y - lift)
        buildings.append((x, y))
        if church is not None:
            d.at("church", church, y)
    elif d.has("church"):
        x, y, lift = stage.standing(focal_y, d.focal_x, 2, 2.5) or (d.focal_x, focal_y, 0.0)
        add(y, lambda x=x, y=y, lift=lift: structures.draw_church(pen, x, y, d.light_side, lift=lift), lift)
        d.at("church", x, y - lift)
        buildings.append((x, y))
    if d.has("lighthouse"):  # on the shore, or a cliff's top a little back from its edge: the subject wherever it stands
        x, y, lift = stage.standing(focal_y, d.focal_x, 1.2, 0.6) or (d.focal_x, focal_y, 0.0)
        add(y, lambda x=x, y=y, lift=lift: structures.draw_lighthouse(pen, x, y, d.light_side, lift=lift), lift)
        d.at("lighthouse", x, y - lift)
        buildings.append((x, y))
    if d.has("windmill"):  # on open land or a cliff's top, the subject wherever it stands
        x, y, lift = stage.standing(focal_y, d.focal_x, 2.0, 1.5) or (d.focal_x, focal_y, 0.0)
        add(y, lambda x=x, y=y, lift=lift: structures.draw_windmill(pen, x, y, d.light_side, lift=lift), lift)
        d.at("windmill", x, y - lift)
        buildings.append((x, y))
    if d.has("houses"):
        count = int(rng.integers(1, 4))
        base_x = d.focal_x if plan.focal == "houses" else (buildings[0][0] if buildings else d.focal_x)
        for k in range(count):
            y = focal_y * (1 + 0.04 * k) if plan.focal == "houses" else stage.y_at(focal_n * rng.uniform(1.1, 1.8))
            preferred = base_x + (k - (count - 1) / 2) * stage.eye(y) * rng.uniform(2.5, 4.0)
            found = stage.standing(y, preferred, 1.2, 1.2 + 1.5 * k)  # on a cliff, along its edge, each farther back
            if found is None:
                continue
            house_x, y, lift = found
            side = 1 if house_x < w / 2 else -1
            add(y, lambda x=house_x, y=y, side=side, lift=lift: structures.draw_house(pen, x, y, side, lift=lift), lift)
            d.at("houses", house_x, y - lift)
            buildings.append((house_x, y))

    if d.has("bridge") and d.river is not None:
        centre, half = d.river
        lowest = 0.25 if d.has("figures") else 0.18  # near enough to see who crosses it, or what it is
        n = (
            float(np.clip(focal_n * rng.uniform(1.0, 1.4), lowest, 0.35))
            if plan.focal == "bridge"
            else rng.uniform(lowest, 0.3)
        )
        # Where the river flows away from the viewer and a bridge across it spans at most 45% of the width (nearer,
        # one arch filled the frame; where it flows across the view, the bridge would run along it), nearest n.
        xs, ys = centre[:, 0], centre[:, 1]
        fits = (half * 2.7 <= w * 0.45) & (ys > stage.horizon + 2) & (xs > 0) & (xs < w)
        off = np.abs((ys - stage.horizon) / max(stage.height - stage.horizon, 1) - n) + 2.0 * ~fits
        i = int(np.argmin(off))
        cx, hw, y = xs[i], half[i], float(ys[i])
        wet = stage.water[int(np.clip(y, 0, stage.height - 1))]
        col = int(np.clip(cx, 0, w - 1))
        if wet[col]:  # from bank to bank as the water runs along its row, and a little onto each bank
            left = col - int(np.argmin(wet[col::-1]) or col + 1)
            right = col + int(np.argmin(wet[col:]) or w - col)
            hw, cx = (right - left) / 2, (left + right) / 2
        x0, x1 = cx - hw * 1.35, cx + hw * 1.35
        arched = rng.random() < 0.45
        add(y, lambda x0=x0, x1=x1, y=y: structures.draw_bridge(pen, x0, x1, y, arched))
        d.at("bridge", cx, y)
        d.bridge = (x0, x1, y, arched)

    wall_end = None
    if d.has("harbour wall"):
        end_holder: dict[str, tuple[float, float]] = {}
        rows = stage.y_at(0.45)
        add(
            rows,
            lambda: end_holder.setdefault("end", structures.draw_harbour_wall(pen, plan.mass_side)),
        )
        wall_end = end_holder
        d.at("harbour wall", w * (0.5 + plan.mass_side * 0.25), rows)

    if d.has("boats"):
        _boats(d, add, wall_end)
    _trees(d, add, buildings)
    if d.has("orchard"):
        x0, x1 = -0.05 * w, 1.05 * w
        add(stage.y_at(0.3), lambda: things.draw_orchard(pen, x0, x1, d.light_side))
        d.at("orchard", w / 2, stage.y_at(0.3))
    if d.has("cypresses"):
        _cypresses(d, add)
    if d.has("figures"):
        _figures(d, add)


def _behind_the_edge(d: _Drawing, row: float, lift: float, draw):
    """`draw`, for a thing standing `lift` pixels above `row` on a cliff's top: where the viewer is below the top, the
    rock face nearer than the thing (its waterline further down the picture) hides its foot. Drawn over the face, a
    tree's trunk or a tower's foot ran down the rock."""
    canvas, stage = d.canvas, d.stage
    if lift <= 0 or stage.shore is None or "cliff" not in canvas.names:
        return draw

    shore = stage.shore

    def hidden() -> None:
        order = np.argsort(shore[:, 0])
        waterline = np.interp(np.arange(stage.width), shore[order, 0], shore[order, 1])
        canvas.hidden = (canvas.labels == canvas.names.index("cliff")) & (waterline > row)[None, :]
        try:
            draw()
        finally:
            canvas.hidden = None

    return hidden


def _trees(d: _Drawing, add, buildings: list[tuple[float, float]]) -> None:
    stage, rng, pen = d.stage, d.rng, d.pen
    if not d.has("trees"):
        return
    spots = []
    for bx, by in buildings[:3]:  # beside the buildings, a little in front
        for side in (-1, 1):
            if rng.random() < 0.6:
                spots.append((bx + side * stage.eye(by) * rng.uniform(2.5, 4.5), by + stage.eye(by) * 0.3))
    for _ in range(int(rng.integers(1, 4))):  # and some in the open, clear of the subject
        y = stage.y_at(rng.uniform(0.1, 0.4))
        x = rng.uniform(0.05, 0.95) * stage.width
        if abs(x - d.focal_x) < stage.eye(y) * 4 and d.plan.focal != "trees":
            x = d.focal_x + np.sign(x - d.focal_x + 1e-3) * stage.eye(y) * rng.uniform(4, 6)
        spots.append((x, y))
    if d.plan.focal == "trees":
        spots.append((d.focal_x, stage.y_at(rng.uniform(0.3, 0.45))))
    for x, y in spots:
        back = rng.uniform(0.8, 4.0) if stage.cliff is not None else 0.0  # on a cliff's top, back from its edge
        found = stage.standing(y, x, 0.6, back)
        if found is None or y >= stage.height:
            continue
        tree_x, y, lift = found
        if any(y > by and abs(tree_x - bx) < stage.eye(y) * 1.5 + stage.eye(by) * 2 for bx, by in buildings):
            continue  # it would stand in front of a building and hide it (Munch's far houses by the sea)
        add(y, lambda x=tree_x, y=y, lift=lift: things.draw_tree(pen, x, y, d.light_side, 3.2, lift=lift), lift)
        d.at("trees", tree_x, y - lift)


def _cypresses(d: _Drawing, add) -> None:
    stage, rng, pen, plan = d.stage, d.rng, d.pen, d.plan
    big = stage.height * rng.uniform(0.7, 0.95)
    y = stage.height * 1.02
    x = stage.land_x(stage.height - 2, d.mass_x + rng.normal(0, stage.width * 0.04), big * 0.08)
    lift = 0.0
    if x is None:  # no foreground land: stand it in the middle distance on the shore, or on a cliff's top
        y = stage.y_at(0.35)
        x, y, lift = stage.cliff_spot(y, 1.0) or (stage.land_x(y, d.mass_x, 4) or d.mass_x, y, 0.0)
        big = stage.eye(y) * 9
    add(y, lambda x=x, y=y, big=big, lift=lift: things.draw_cypress(pen, x, y, d.light_side, big, lift), lift)
    d.at("cypresses", x, y - lift - big / 2)
    if rng.random() < 0.5:
        y2 = stage.y_at(rng.uniform(0.3, 0.6))
        x2 = stage.land_x(y2, x - plan.mass_side * stage.width * rng.uniform(0.08, 0.2), 4)
        x2, y2, lift2 = stage.cliff_spot(y2, 2.5) or (x2, y2, 0.0)
        if x2 is not None:
            add(
                y2,
                lambda x2=x2, y2=y2, lift2=lift2: things.draw_cypress(
                    pen, x2, y2, d.light_side, stage.eye(y2) * 7, lift2
                ),
                lift2,
            )


def _figures(d: _Drawing, add) -> None:
    stage, rng, pen = d.stage, d.rng, d.pen
    count = int(rng.integers(1, 4))
    bridge = d.bridge
    # On the bridge when it is near enough for them to show (a bridge kept narrow stands far off; one over a river that
    # flows away from the viewer only where it has turned, 0.12-0.2 of the way down the land).
    if bridge is not None and stage.nearness(bridge[2]) >= 0.12 and rng.random() < 0.6:
        x0, x1, y, arched = bridge
        for k in range(count):
            x = x0 + (x1 - x0) * rng.uniform(0.2, 0.8)
            rise = (x1 - x0) * (structures.HUMP if arched else 0.0) * np.sin(np.pi * (x - x0) / (x1 - x0))
            foot = y - stage.eye(y) * 2.05 - rise
            add(y + 0.5 + k * 0.01, lambda x=x, foot=foot, y=y: _figure_on(d, x, foot, y))
            d.at("figures", x, foot)
        return
    for _ in range(count):
        if d.road is not None:  # walking the road, in the middle distance (nearer, a figure fills the frame)
            centre, half = d.road
            near = np.array([0.2 < stage.nearness(y) < 0.55 and 0.05 < x / stage.width < 0.95 for x, y in centre])
            if not near.any():
                continue
            i = int(rng.choice(np.where(near)[0]))
            x, y, lift = centre[i, 0] + half[i] * rng.uniform(-0.5, 0.5), centre[i, 1], 0.0
        else:
            y = stage.y_at(rng.uniform(0.25, 0.6))
            back = 0.0
            if stage.cliff is not None:
                # On a cliff's top at its edge, looking out, a little farther off (near, one stood as tall as the face).
                # Back from the edge, the nearer edge (seen from below) hid all but their heads; kept a whole eye-height
                # in from the frame's side like a house, they stood only where the top reached the horizon, tiny.
                y, back = stage.y_at(stage.nearness(y) * 0.7), rng.uniform(0.0, 0.1)
            x = d.focal_x + rng.normal(0, stage.width * 0.1)
            found = stage.standing(y, x, 0.3, back) if stage.cliff is None else stage.cliff_spot(y, back, 0.3)
            if found is None:
                continue
            x, y, lift = found
        add(y, lambda x=x, y=y, lift=lift: things.draw_figure(pen, x, y, lift), lift)
        d.at("figures", x, y - lift)


def _figure_on(d: _Drawing, x: float, foot: float, ground: float) -> None:
    """A figure standing on something raised (a bridge's deck): sized by where the bridge stands."""
    stage = d.stage
    saved = stage.horizon
    stage.horizon = saved - (ground - foot)  # a person on the deck looks as tall as one at the bridge's foot
    things.draw_figure(d.pen, x, foot)
    stage.horizon = saved


def _boats(d: _Drawing, add, wall_end) -> None:
    stage, rng, pen, plan = d.stage, d.rng, d.pen, d.plan
    storm = "storm" in plan.moods
    harbour = wall_end is not None
    count = int(rng.integers(3, 6)) if harbour else int(rng.integers(1, 4))
    for k in range(count):
        if k == 0 and plan.focal == "boats":
            n = float(np.clip((plan.focal_y - plan.horizon) / max(1 - plan.horizon, 0.05), 0.12, 0.3))
            preferred = d.focal_x
        else:
            n = rng.uniform(0.06, 0.3) if not harbour else rng.uniform(0.12, 0.4)
            preferred = rng.uniform(0.1, 0.9) * stage.width
        if harbour:  # moored along the wall's open side
            preferred = stage.width * (0.5 - plan.mass_side * rng.uniform(-0.1, 0.3))
        found = stage.spot(stage.y_at(n), preferred, 1.0, water=True)
        if found is None:
            continue
        x, y = found
        tilt = rng.uniform(-0.35, 0.35) if storm else rng.uniform(-0.04, 0.04)
        sails = not harbour or rng.random() < 0.3
        add(
            y + 0.25,
            lambda x=x, y=y, tilt=tilt, sails=sails: structures.draw_boat(pen, x, y, tilt, sails),
        )
        d.at("boats", x, y)
