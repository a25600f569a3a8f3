"""Discussions: a thread and its replies, writing, editing, deleting, likes, flags,
shared files, search, and the public feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import permissions
from communities.forms import EditForm, FlagForm, ReplyForm, ThreadForm
from communities.models import Community, ContentStatus, Post
from communities.selectors import spaces as space_selectors
from communities.selectors import threads as selectors
from communities.services import posts, review
from communities.services.notices import thread_url
from communities.views.common import done, failed


def _reader(request, slug: str):
    seat = space_selectors.viewer_in(slug=slug, viewer=request.user)
    permissions.require_read(request.user, seat.community, seat.membership)
    return seat


@login_required
def thread_new(request, slug: str):
    seat = _reader(request, slug)
    if seat.membership is None:
        raise PermissionDenied(_("Join the community to start a discussion."))
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files, links = form.materials()
        try:
            thread = posts.thread_create(
                community=seat.community,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=files,
                links=links,
                glossary_links=not form.cleaned_data["no_glossary_links"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if thread.status == ContentStatus.HELD:
                messages.info(request, _("Thanks! A moderator will approve it shortly."))
            return redirect(thread_url(thread, seat.community))
    return render(
        request,
        "communities/thread_form.html",
        {"seat": seat, "community": seat.community, "form": form},
    )


def thread_detail(request, slug: str, thread_id: int):
    seat = _reader(request, slug)
    thread = selectors.thread_for_viewer(seat=seat, thread_id=thread_id, viewer=request.user)
    page, posts, liked = selectors.thread_posts(
        thread=thread, seat=seat, viewer=request.user, page_number=request.GET.get("page")
    )
    can_reply = seat.can_post and thread.status == ContentStatus.VISIBLE
    can_reply = can_reply and (not thread.is_locked or seat.can_moderate)
    return render(
        request,
        "communities/thread.html",
        {
            "seat": seat,
            "community": seat.community,
            "thread": thread,
            "page": page,
            "posts": posts,
            "liked": liked,
            "reply_form": ReplyForm() if can_reply else None,
        },
    )


@require_POST
@login_required
def reply(request, slug: str, thread_id: int):
    seat = _reader(request, slug)
    thread = selectors.thread_for_viewer(seat=seat, thread_id=thread_id, viewer=request.user)
    url = thread_url(thread, seat.community)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return failed(request, url, ValidationError(errors))
    files, links = form.materials()
    try:
        post = posts.reply_create(
            thread=thread,
            author=request.user,
            body=form.cleaned_data["body"],
            files=files,
            links=links,
            glossary_links=not form.cleaned_data["no_glossary_links"],
        )
    except ValidationError as error:
        return failed(request, url, error)
    if post.status == ContentStatus.HELD:
        messages.info(request, _("Thanks! A moderator will approve your reply shortly."))
    last_page = f"?page=last#post-{post.pk}"
    return redirect(reverse("communities:thread", args=[slug, thread.pk]) + last_page)


@require_POST
@login_required
def thread_moderate(request, slug: str, thread_id: int):
    seat = _reader(request, slug)
    thread = selectors.thread_for_viewer(seat=seat, thread_id=thread_id, viewer=request.user)
    url = thread_url(thread, seat.community)
    try:
        review.thread_moderate(
            thread=thread,
            actor=request.user,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", "")[:1000],
        )
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Done."))


def _post(request, slug: str, post_id: int):
    seat = _reader(request, slug)
    return seat, selectors.post_for_viewer(seat=seat, post_id=post_id, viewer=request.user)


@login_required
def post_edit(request, slug: str, post_id: int):
    seat, post = _post(request, slug, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author can edit a post."))
    initial = {
        "body": post.body,
        "title": post.thread.title if post.is_opening else "",
        "no_glossary_links": not post.glossary_links,
    }
    form = EditForm(request.POST or None, initial=initial)
    if not post.is_opening:
        del form.fields["title"]
    if request.method == "POST" and form.is_valid():
        try:
            posts.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title") if post.is_opening else None,
                glossary_links=not form.cleaned_data["no_glossary_links"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your post is updated; its earlier text is kept."))
            return redirect(thread_url(post.thread, seat.community, post))
    return render(
        request,
        "communities/post_edit.html",
        {"seat": seat, "community": seat.community, "post": post, "form": form},
    )


def post_history(request, slug: str, post_id: int):
    seat, post = _post(request, slug, post_id)
    return render(
        request,
        "communities/post_history.html",
        {
            "seat": seat,
            "community": seat.community,
            "post": post,
            "revisions": selectors.post_revisions(post=post),
        },
    )


@require_POST
@login_required
def post_delete(request, slug: str, post_id: int):
    seat, post = _post(request, slug, post_id)
    url = thread_url(post.thread, seat.community)
    posts.post_delete(post=post, actor=request.user)
    return done(request, url, _("Your post is deleted."))


@require_POST
@login_required
def post_like(request, slug: str, post_id: int):
    seat, post = _post(request, slug, post_id)
    url = thread_url(post.thread, seat.community, post)
    try:
        liked = posts.post_like_toggle(post=post, member=request.user)
    except ValidationError as error:
        return failed(request, url, error)
    post.refresh_from_db(fields=["like_count"])
    return done(request, url, "", {"liked": liked, "count": post.like_count})


@login_required
def post_flag(request, slug: str, post_id: int):
    seat, post = _post(request, slug, post_id)
    url = thread_url(post.thread, seat.community, post)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review.post_flag(post=post, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            return failed(request, url, error)
        return done(request, url, _("Thank you. The moderators will take a look."))
    return render(
        request,
        "communities/flag.html",
        {"seat": seat, "community": seat.community, "post": post, "form": form, "back": url},
    )


@require_POST
@login_required
def post_moderate(request, slug: str, post_id: int):
    seat, post = _post(request, slug, post_id)
    url = thread_url(post.thread, seat.community, post)
    try:
        review.post_moderate(
            post=post,
            actor=request.user,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", "")[:1000],
        )
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Done."))


def attachment_download(request, slug: str, attachment_id: int):
    seat = _reader(request, slug)
    attachment = selectors.attachment_for_viewer(
        seat=seat, attachment_id=attachment_id, viewer=request.user
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not seat.community.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


def community_search(request, slug: str):
    seat = _reader(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.community_search(community=seat.community, query=query) if query else []
    return render(
        request,
        "communities/search.html",
        {"seat": seat, "community": seat.community, "query": query, "results": results},
    )


class CommunityFeed(Feed):
    """Latest discussions of a public community (feed readers carry no login: members-only
    and hidden communities have no feed)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        community = Community.objects.filter(slug=slug).first()
        if community is None or not community.is_public:
            raise Http404
        return community

    def title(self, community):
        return community.name

    def link(self, community):
        return reverse("communities:detail", args=[community.slug])

    def subtitle(self, community):
        return _("Latest discussions")

    def items(self, community):
        return (
            Post.objects.filter(
                community=community,
                is_opening=True,
                status=ContentStatus.VISIBLE,
                thread__status=ContentStatus.VISIBLE,
            )
            .select_related("thread", "author", "community")
            .order_by("-created_at")[:30]
        )

    def item_title(self, post):
        return post.thread.title

    def item_description(self, post):
        return post.body_html

    def item_link(self, post):
        return thread_url(post.thread, post.community)

    def item_pubdate(self, post):
        return post.created_at

    def item_author_name(self, post):
        return post.author.get_full_name() if post.author else ""
