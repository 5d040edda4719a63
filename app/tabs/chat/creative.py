"""The Chat tab's creative requests: paintings from the `Painter`, melodies from the `Composer` (the Paint and
Compose tabs, through app.tabs.studio), lines and lyrics from its own verse writer; each result comes back
inline in the conversation, with the recipe that makes it again."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl

from app.settings import Settings
from app.store import Store
from app.tabs.chat import jobs
from app.tabs.chat.conversation_view import ChatMessage, ConversationView
from app.tabs.chat.sampling_panel import SamplingPanel
from app.tabs.images import array_to_image
from app.tabs.studio import Composer, Painter
from app.worker import JobFactory, JobHandle
from models.music.request import MelodyRequest
from models.paint.recipe import PaintRecipe

# A painting held for its links is 1.2 MB and a melody's rendered sound more: a day's conversation would hold
# them all (the soak saw +3.8 MB a painting). Older results are made again from their recipe when a link asks
# for them, as after a restart; their pictures stay in the conversation at display size.
KEPT_RESULTS = 16


def keep_recent(results: dict[str, Any], key: str, item: Any, limit: int = KEPT_RESULTS) -> None:
    """Hold `item` under `key` as the most recent of `results`, dropping the oldest beyond `limit`."""
    results.pop(key, None)
    results[key] = item
    while len(results) > limit:
        del results[next(iter(results))]


class CreativeRequests:
    """Mixed into ChatTab (its creative half). What it uses of the tab is declared here, the `painter` and
    `composer` (the Paint and Compose tabs) included; nothing else of the other tabs is reachable."""

    messages: list[ChatMessage]
    attachments: dict[str, Any]  # key -> PaintingResult or MelodyResult made in this session
    sampling: SamplingPanel
    view: ConversationView
    store: Store
    conversation_id: int | None
    painter: Painter
    composer: Composer
    settings: Settings

    if TYPE_CHECKING:  # ChatTab's own methods, used here

        @property
        def private(self) -> bool: ...

        def _add_answer(self, text: str, meta: dict | None = None) -> ChatMessage: ...

        def show_message(self, text: str, error: bool = True) -> None: ...

        def run_job(self, title: str, factory: JobFactory, on_finished: Callable[[Any], None] | None = None,
                    on_failed: Callable[[str], None] | None = None) -> JobHandle: ...

    # Creative requests -------------------------------------------------------------------------

    def _paint(self, request) -> None:
        params = dict(request.params)
        seed = self.sampling.seed_spin.value() or uuid.uuid4().int % 1_000_000
        recipe = PaintRecipe.for_request(params, seed)
        # One worker paints for both tabs: behind a Best quality render the answer read "Painting…" for minutes, with
        # the Paint tab's render in the status bar (seen under Xvfb). Say what it waits for.
        busy = self.painter.busy_with()
        waiting = f" It starts once the Paint tab's “{busy}” ends." if busy else ""
        answer = self._add_answer(f"{request.understood}\nPainting…{waiting}")
        key = uuid.uuid4().hex[:12]

        def done(painting) -> None:
            keep_recent(self.attachments, key, painting)
            # The subject is said in the line above, as the user's words less their article: "Here is stormy
            # harbour" read wrong.
            answer.content = f"{request.understood}\nHere it is, in the style of {painting.extras['title']} (seed {seed})."
            answer.meta["attachment"] = {"kind": "painting", "key": key, "recipe": painting.recipe.to_json()}
            self._update_saved(answer)
            self._show_attachments()
            self.view.show_messages(self.messages)

        self.painter.paint_for_request(recipe, done, self._failed_answer(answer))

    def _compose(self, request) -> None:
        params = request.params
        seed = self.sampling.seed_spin.value() or uuid.uuid4().int % 1_000_000
        melody_request = MelodyRequest.from_json({**params, "seed": seed, "variations": 1})
        answer = self._add_answer(f"{request.understood}\nComposing…")
        key = uuid.uuid4().hex[:12]

        def written(variation) -> None:
            keep_recent(self.attachments, key, variation)
            answer.content = f"{request.understood}\nHere it is (seed {seed})."
            answer.meta["attachment"] = {"kind": "melody", "key": key, "title": variation.full_title,
                                         "recipe": melody_request.to_json()}
            self._update_saved(answer)
            self.view.show_messages(self.messages)

        # Its sound too, so that ▶ Play in the conversation starts at once.
        self.composer.compose_for_request(melody_request, written, self._failed_answer(answer),
                                          lambda rendered: keep_recent(self.attachments, key, rendered))

    def _play_last(self) -> None:
        """"play it", "play the melody": the conversation's last melody, else the one selected in the Compose tab
        ("play the melody" wrote a new tune, "can you play it?" went to the chat model)."""
        attachment = self._last_attachment("melody")
        if attachment is not None:
            self._add_answer(f"Playing {attachment.get('title') or 'the last melody'} (▶ Play under it does too).")
            self._on_link(QUrl(f"atelier:play-melody/{attachment['key']}"))
            return
        selected = self.composer.selected_variation()
        if selected is None:
            self._add_answer("There is no melody in this conversation or the Compose tab yet: ask for one "
                             "(“compose a sad Irish tune in D minor”), then “play it”.")
        elif self.composer.play_melody(selected):
            self._add_answer(f"Playing the melody selected in the Compose tab: {selected.full_title}.")
        else:
            self._add_answer("The melody selected in the Compose tab is still being rendered; ask again in a moment.")

    def _write_verse(self, request) -> None:
        from models.assistant.creative import CreativeContext, as_understood

        composed = self.composer.selected_variation()
        context = CreativeContext(last_melody=self._last_recipe("melody"), last_painting=self._last_recipe("painting"),
                                  composed_melody=composed.melody if composed is not None else None,
                                  last_made=self._last_made())
        request = as_understood(request, context)  # "Lyrics for the last melody" only when there is one
        seed = self.sampling.seed_spin.value() or uuid.uuid4().int % 1_000_000
        answer = self._add_answer(request.understood)

        def done(made) -> None:
            answer.content = f"{request.understood}\n\n{made.text}"
            if made.kind == "song":
                self._song_attachments(answer, made)
            self._update_saved(answer)
            self.view.show_messages(self.messages)

        out_dir = None
        if request.kind == "song":  # a song sketch is a folder: song.mid with lyrics, song.wav, cover.png, lyrics.txt
            from app.paths import data_dir

            out_dir = data_dir() / "songs"
        self.run_job("Writing", jobs.write_verse(request, context, seed, out_dir, self.settings.get("chat_server_url")),
                     done, self._failed_answer(answer))

    def _song_attachments(self, answer: ChatMessage, made) -> None:
        """A song sketch in the conversation: its tune on the lyrics' answer (▶ Play, Open in Compose), made
        by the Compose tab from the song's melody request (the same tune: the engines are deterministic), and
        its cover as the next answer, painted by the Paint tab (Open in Paint) and saved in the song's folder."""
        key = uuid.uuid4().hex[:12]
        title = f"{made.value.title} — the song's tune"
        answer.meta["attachment"] = {"kind": "melody", "key": key, "title": title, "recipe": made.params["melody"]}
        keep = lambda melody: keep_recent(self.attachments, key, melody)  # noqa: E731
        failed = lambda message: self.show_message(f"The song's tune could not be opened: {message}")  # noqa: E731
        self.composer.compose_for_request(MelodyRequest.from_json(made.params["melody"]), keep, failed, keep)

        recipe = PaintRecipe.from_json(made.params["cover"])
        cover = self._add_answer(f"The cover: painting {recipe.subject}…")
        cover_key, folder = uuid.uuid4().hex[:12], made.value.folder

        def painted(painting) -> None:
            from PIL import Image

            from models.paint.recipe import save_png_with_recipe

            keep_recent(self.attachments, cover_key, painting)
            cover.content = f"The cover: {recipe.subject}, in the style of {painting.extras['title']}."
            if folder is not None:
                save_png_with_recipe(Image.fromarray(painting.pixels), folder / "cover.png", painting.recipe)
                cover.content += " Saved in the song's folder as cover.png."
            cover.meta["attachment"] = {"kind": "painting", "key": cover_key, "recipe": painting.recipe.to_json()}
            self._update_saved(cover)
            self._show_attachments()
            self.view.show_messages(self.messages)

        self.painter.paint_for_request(recipe, painted, self._failed_answer(cover))

    def _last_attachment(self, *kinds: str) -> dict | None:
        """The latest painting or melody of the conversation (saved with it, so earlier sessions count)."""
        for message in reversed(self.messages):
            attachment = message.meta.get("attachment")
            if attachment and attachment["kind"] in kinds:
                return attachment
        return None

    def _last_recipe(self, kind: str) -> dict | None:
        """What made the latest painting or melody of the conversation."""
        attachment = self._last_attachment(kind)
        return (attachment.get("params") or attachment.get("recipe")) if attachment else None

    def _last_made(self) -> str | None:
        """"painting" or "melody": which the conversation made last."""
        attachment = self._last_attachment("painting", "melody")
        return attachment["kind"] if attachment else None

    def _failed_answer(self, answer: ChatMessage):
        """When a creative job fails, the answer in the conversation says so (not only the message bar)."""

        def failed(message: str) -> None:
            answer.content = f"{answer.content.splitlines()[0]}\n\nThat did not work: {message}"
            self._update_saved(answer)
            self.view.show_messages(self.messages)

        return failed

    def _make_again(self, url: QUrl, key: str) -> None:
        """A result from an earlier session: make it again from the recipe saved with the message (the
        engines are deterministic for a seed), then do what the link asked."""
        attachment = next((m.meta["attachment"] for m in self.messages
                           if m.meta.get("attachment", {}).get("key") == key), None)
        if attachment is None:
            self.show_message("That result is no longer in this conversation.")
            return

        def arrived(item) -> None:
            keep_recent(self.attachments, key, item)
            self._show_attachments()
            self.view.show_messages(self.messages)
            self._on_link(url)

        failed = lambda message: self.show_message(f"It could not be made again: {message}")  # noqa: E731
        if attachment["kind"] == "painting":
            if "recipe" in attachment:
                recipe = PaintRecipe.from_json(attachment["recipe"])
            else:  # saved before paintings had a recipe: the request's parameters and the seed
                params = dict(attachment["params"])
                recipe = PaintRecipe.for_request(params, int(params.pop("seed")))
            self.show_message("Painting it again from its recipe…", error=False)
            self.painter.paint_for_request(recipe, arrived, failed)
        elif attachment["kind"] == "melody":
            request = MelodyRequest.from_json(attachment["recipe"])
            self.show_message("Writing it again from its recipe…", error=False)
            self.composer.compose_for_request(request, None, failed, arrived)

    def _update_saved(self, message: ChatMessage) -> None:
        """Rewrite a saved assistant message once its inline result has arrived."""
        if message.id is not None and self.conversation_id is not None and not self.private:
            self.store.delete_message(message.id)
            message.id = self.store.add_message(self.conversation_id, message.role, message.content, message.meta)

    def _show_attachments(self) -> None:
        for key, item in self.attachments.items():
            if hasattr(item, "pixels") and not self.view.has_image(key):
                self.view.add_image(key, array_to_image(item.pixels))

    def _on_link(self, url: QUrl) -> None:
        action, _, key = url.path().partition("/")
        item = self.attachments.get(key)
        if item is None:
            self._make_again(url, key)
            return
        if action == "open-painting":
            self.painter.open_painting(item)
        elif action == "play-melody" and not self.composer.play_melody(item):
            self.show_message("The melody's sound is still being rendered; press Play again in a moment.", error=False)
        elif action == "open-melody":
            self.composer.open_melody(item)

