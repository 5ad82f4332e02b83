"""The one message table: every text a member sees, in English and Chinese, and the one function that
turns a core Reply into text (`render`), and a Button into its caption (`label`).

Channels never write their own strings; they render what the core returns. No I/O, no platform import.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from string import Formatter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.replies import Button, Reply

LANGS = ("en", "zh")

_TABLE: dict[str, tuple[str, str]] = {
    # -- errors ----------------------------------------------------------------------------------
    "parse_empty": (
        "Tell me what to make, e.g. `a red fox running through snow 5s`.",
        "告诉我想生成什么，例如：`雪地里奔跑的红狐狸 5秒`。",
    ),
    "parse_too_long": (
        "That prompt is too long ({length} characters). Please keep it under {limit}.",
        "提示词太长了（{length} 个字符），请控制在 {limit} 个字符以内。",
    ),
    "parse_bad_seconds": ("Clips can be 1 to 20 seconds long.", "视频时长可以是 1 到 20 秒。"),
    "parse_bad_variations": ("Variations can be 1, 2 or 4.", "版本数可以是 1、2 或 4。"),
    "parse_bad_seed": (
        "A seed must be a whole number, e.g. `--seed 42`.",
        "种子必须是整数，例如 `--seed 42`。",
    ),
    "parse_bad_flag_value": ("I couldn't read one of the options: {detail}", "有一个参数无法识别：{detail}"),
    "parse_bad_resolution": ("Resolutions are 480p, 720p or 1080p.", "分辨率可以是 480p、720p 或 1080p。"),
    "parse_bad_aspect": ("Aspect ratios are 16:9, 9:16 or 1:1.", "画幅可以是 16:9、9:16 或 1:1。"),
    "parse_bad_mode": ("Modes are fast or relaxed.", "模式可以是 fast（快速）或 relaxed（慢速）。"),
    "parse_bad_storyboard": (
        "A storyboard looks like `storyboard: 0s a seed; 5s a sprout; 10s a tree`.",
        "故事板格式：`故事板: 0秒 种子; 5秒 发芽; 10秒 大树`。",
    ),
    "parse_error": ("I couldn't read that request: {detail}", "无法理解这个请求：{detail}"),
    "insufficient_credits": (
        "Not enough credits: this needs {needed}, you have {available}.",
        "积分不足：需要 {needed}，你现在有 {available}。",
    ),
    "plan_resolution": (
        "Your {plan} plan goes up to {limit}; you asked for {asked}.",
        "你的 {plan} 套餐最高支持 {limit}，你请求的是 {asked}。",
    ),
    "plan_seconds": (
        "Your {plan} plan allows clips up to {limit} s; you asked for {asked} s.",
        "你的 {plan} 套餐最长支持 {limit} 秒，你请求的是 {asked} 秒。",
    ),
    "plan_variations": (
        "Your {plan} plan allows up to {limit} variations.",
        "你的 {plan} 套餐最多支持 {limit} 个版本。",
    ),
    "plan_concurrency": (
        "Your {plan} plan runs {limit} job(s) at once; wait for one to finish.",
        "你的 {plan} 套餐同时只能运行 {limit} 个任务，请等当前任务完成。",
    ),
    "plan_relaxed": ("Relaxed mode is not part of your {plan} plan.", "你的 {plan} 套餐不支持慢速模式。"),
    "unknown_plan": (
        "There is no plan called {plan}. Plans: {known}.",
        "没有名为 {plan} 的套餐。可选：{known}。",
    ),
    "bad_amount": ("That amount must be a positive whole number.", "数量必须是正整数。"),
    "link_code_invalid": (
        "That link code is not valid. Ask for a new one with /link.",
        "这个绑定码无效，请用 /link 重新获取。",
    ),
    "link_code_expired": (
        "That link code has expired. Ask for a new one with /link.",
        "这个绑定码已过期，请用 /link 重新获取。",
    ),
    "link_self": (
        "That code is your own; send it from your other account.",
        "这是你自己的绑定码，请在另一个账号发送。",
    ),
    "link_already": ("These accounts are already linked.", "这些账号已经绑定过了。"),
    "bad_quote": (
        "That request has a value I can't price: {field} = {value}.",
        "无法计价的参数：{field} = {value}。",
    ),
    "billing_file": (
        "The bot's price or plan file is broken; please tell an admin.",
        "价格或套餐配置文件有误，请告知管理员。",
    ),
    "hold_closed": ("That job's credits were already settled.", "该任务的积分已结算。"),
    "bad_key": ("That request key is not valid.", "请求标识无效。"),
    "bad_user": (
        "That user id is not valid; use platform:id, e.g. telegram:12345.",
        "用户标识无效，请使用 平台:编号，例如 telegram:12345。",
    ),
    "bad_job": ("That job id is not valid.", "任务编号无效。"),
    "ledger_schema": (
        "The credit database needs an upgrade; please tell an admin.",
        "积分数据库需要升级，请告知管理员。",
    ),
    "link_busy": (
        "Wait until your running jobs finish, then link again.",
        "请等待进行中的任务完成后再绑定。",
    ),
    "star_refund_needs_telegram": (
        "Stars refunds are for telegram:<id> members.",
        "Stars 退款仅适用于 telegram:<id> 用户。",
    ),
    "star_refunded": (
        "⭐ Refunded the Stars payment {charge}; took back {credits} credits.",
        "⭐ 已退还 Stars 付款 {charge}，收回 {credits} 积分。",
    ),
    "star_refund_failed": ("Telegram refused the refund: {detail}", "Telegram 拒绝了退款：{detail}"),
    "not_found": ("I can't find that.", "找不到该内容。"),
    "queue_full": (
        "The queue is full right now ({limit} jobs). Please try again in a few minutes.",
        "队列已满（{limit} 个任务），请几分钟后再试。",
    ),
    "queue_user_full": (
        "You already have {limit} jobs waiting; the first should be done in about {wait}. "
        "Cancel one or wait a little.",
        "你已有 {limit} 个任务在排队，第一个约 {wait} 后完成。请取消一个或稍等。",
    ),
    "queue_chat_full": (
        "This chat already has {limit} jobs waiting; the first should be done in about {wait}.",
        "本群已有 {limit} 个任务在排队，第一个约 {wait} 后完成。",
    ),
    "moderated": (
        "I can't make that one: {why}. Please try a different prompt.",
        "无法生成该内容：{why}。请换一个提示词。",
    ),
    "moderation_minors": ("it is sexual content involving minors", "涉及未成年人的性内容"),
    "moderation_hate": ("it contains a slur or hate speech", "包含歧视或仇恨言论"),
    "moderation_sexual": ("sexual content isn't allowed in this chat", "本群不允许色情内容"),
    "moderation_profanity": ("that language isn't allowed in this chat", "本群不允许粗俗用语"),
    "moderation_custom": ("it is on this community's blocked list", "包含本社区禁止的内容"),
    "moderated_output": (
        "❌ Your clip was made but can't be posted here: {why}. Your {refunded} credits were refunded.",
        "❌ 视频已生成，但不能发到这里：{why}。已退还 {refunded} 积分。",
    ),
    "banned": ("An admin has stopped you from making clips here.", "管理员已禁止你在这里生成视频。"),
    "needs_image": ("Attach an image (photo) to animate it.", "请附上一张图片来制作动画。"),
    "needs_clip": ("Reply to one of my clips to edit it.", "请回复我生成的某个视频来编辑它。"),
    "needs_two_videos": (
        "Attach two clips (or reply to one and attach another) to blend them.",
        "请附上两个视频（或回复一个并附上另一个）来融合。",
    ),
    "clip_gone": ("That clip is no longer available.", "该视频已不存在。"),
    "not_a_clip": (
        "That message isn't one of my clips. Pick a clip I posted.",
        "那条消息不是我发的视频，请选择我发布的视频。",
    ),
    "clip_other_server": (
        "That clip link is from another server. Use a clip posted in this one.",
        "这个视频链接来自另一个服务器，请使用本服务器里发布的视频。",
    ),
    "tips_off": ("Tips are turned off on this bot.", "本机器人未开启打赏。"),
    "tip_self": ("You can't tip your own clip.", "不能打赏自己的视频。"),
    "transfer_self": (
        "Those accounts share one wallet, so there is nothing to move.",
        "这些账号共用一个钱包，无需转移积分。",
    ),
    "bad_attachment": ("I can't use that attachment: {detail}", "无法使用该附件：{detail}"),
    "attachment_too_large": (
        "That file is too large ({size_mb} MB; limit {limit_mb} MB).",
        "文件太大（{size_mb} MB，上限 {limit_mb} MB）。",
    ),
    "too_many_attachments": (
        "One message can bring at most {limit} files.",
        "一条消息最多附带 {limit} 个文件。",
    ),
    "attachment_not_image": (
        "{detail} is not an image I can read (PNG, JPEG, WebP or GIF).",
        "{detail} 不是可识别的图片（PNG、JPEG、WebP 或 GIF）。",
    ),
    "attachment_not_video": (
        "{detail} is not a video I can read (MP4, MOV or WebM).",
        "{detail} 不是可识别的视频（MP4、MOV 或 WebM）。",
    ),
    "image_too_small": (
        "That image is too small to animate ({width}×{height}; at least {min_side} pixels a side).",
        "图片太小，无法制作动画（{width}×{height}，每边至少 {min_side} 像素）。",
    ),
    "image_too_many_pixels": (
        "That image is too large ({width}×{height}; at most {limit_mp} megapixels).",
        "图片太大（{width}×{height}，最多 {limit_mp} 百万像素）。",
    ),
    "video_too_long_input": (
        "That clip is too long ({seconds} s; at most {limit} s).",
        "这个视频太长（{seconds} 秒，最多 {limit} 秒）。",
    ),
    "unsupported_message": (
        "I can only read text, photos and video clips. Try `/help`.",
        "我只能处理文字、图片和视频。试试 `/help`。",
    ),
    "open_private_chat": (
        "That answer is only for you, so I send it in a private chat, and we don't have one yet. "
        "Open @{bot}, press Start, then ask again.",
        "这条回复只给你看，我会私聊发送，但我们还没有私聊过。请打开 @{bot}，点击“开始”，然后再问一次。",
    ),
    "open_dms": (
        "That answer is only for you, and I can't send you a direct message. Allow direct messages "
        "from this server's members, or use the slash command instead.",
        "这条回复只给你看，但我无法私信你。请允许来自本服务器成员的私信，或改用斜杠命令。",
    ),
    "missing_option": (
        "That command needs its {option}, e.g. `{example}`.",
        "该命令需要 {option}，例如 `{example}`。",
    ),
    "unknown_command": ("I don't know that command. Try `/help`.", "不认识这个命令，试试 `/help`。"),
    "button_invalid": ("That button has expired or isn't yours.", "这个按钮已失效或不属于你。"),
    "not_admin": ("Only the bot's admins can do that.", "只有管理员可以这样做。"),
    "not_owner": ("Only the clip's author can do that.", "只有视频作者可以这样做。"),
    "rate_limited": ("Slow down a little — try again in {seconds} s.", "太快了，请 {seconds} 秒后再试。"),
    "input_image_corrupt": ("That image could not be read.", "无法读取这张图片。"),
    "input_image_too_large": ("That image is too large.", "图片太大了。"),
    "input_video_corrupt": ("That clip could not be read.", "无法读取这个视频。"),
    "input_video_too_long": ("That clip is too long.", "这个视频太长了。"),
    "input_not_a_video": ("That file is not a video.", "这个文件不是视频。"),
    "input_prompt_too_long": ("That prompt is too long.", "提示词太长了。"),
    "engine_error": (
        "Something went wrong while rendering. Your {refunded} credits were refunded.",
        "渲染时出错了，已退还 {refunded} 积分。",
    ),
    "out_of_memory": (
        "The render ran out of memory; a shorter or smaller clip may fit. Your {refunded} credits "
        "were refunded.",
        "渲染时内存不足，可以试试更短或更小的视频。已退还 {refunded} 积分。",
    ),
    "disk_full": (
        "The bot has no room left to save clips right now; please tell an admin. Your {refunded} "
        "credits were refunded.",
        "机器人暂时没有空间保存视频，请告知管理员。已退还 {refunded} 积分。",
    ),
    "no_worker": (
        "No GPU worker that can render this clip is online right now. Your {refunded} credits were refunded.",
        "目前没有能渲染这个视频的 GPU 工作节点在线，已退还 {refunded} 积分。",
    ),
    "input_bad_job": (
        "That job could not be read by the renderer. Your {refunded} credits were refunded.",
        "渲染器无法读取这个任务，已退还 {refunded} 积分。",
    ),
    "busy": (
        "I'm busy right now and couldn't take that; nothing was charged. Please try again in a moment.",
        "我现在太忙，未能处理该请求，未扣除任何积分。请稍后再试。",
    ),
    "storage_full": (
        "The bot has no room left to store anything; nothing was charged. Please tell an admin.",
        "机器人存储空间已满，未扣除任何积分。请告知管理员。",
    ),
    "interrupted": (
        "The render was interrupted twice (the bot or its GPU worker stopped) and couldn't finish. "
        "Your {refunded} credits were refunded.",
        "渲染两次被中断（机器人或 GPU 工作节点停止），未能完成，已退还 {refunded} 积分。",
    ),
    "payments_off": ("Top-ups are not enabled on this bot.", "本机器人未开启充值。"),
    "bad_pack": ("That credit pack is not on offer.", "没有这个积分包。"),
    "internal_after": (
        "Something went wrong on my side. If a job was queued, /queue shows it.",
        "我这边出错了。如果任务已排队，可用 /queue 查看。",
    ),
    "clip_post_failed": (
        "Your clip is ready, but posting it here failed. I'm trying again in a few seconds; "
        "you pay only once it's posted.",
        "视频已生成，但发送失败。几秒后我会重试；发送成功后才会扣费。",
    ),
    "clip_undeliverable": (
        "❌ Your clip is ready, but I couldn't post it here. Your {refunded} credits were refunded.",
        "❌ 视频已生成，但无法发送到这里，已退还 {refunded} 积分。",
    ),
    "clip_partly_posted": (
        "❌ Only part of your clip could be posted here; what is above is what you got.",
        "❌ 视频只发送了一部分，上面的就是已发送的内容。",
    ),
    "clip_maybe_posted": (
        "I was restarting while posting your clip and can't tell whether it arrived. If it "
        "isn't above, it's saved in /feed. Your {refunded} credits were refunded.",
        "发送视频时我正在重启，无法确认是否已发送。如果上面没有，可在 /feed 查看。已退还 {refunded} 积分。",
    ),
    "request_lost": (
        "I restarted before I could start your request, so it was not made and nothing was "
        "charged. Please send it again.",
        "我在开始处理你的请求前重启了，请求未执行，未扣除任何积分。请重新发送。",
    ),
    "resumed": (
        "🎬 I restarted; your request is still queued: {summary}\nposition {position} · about {eta}.",
        "🎬 我重启了，你的请求仍在排队：{summary}\n第 {position} 位 · 约 {eta}。",
    ),
    "internal": ("Something went wrong on my side. Nothing was charged.", "我这边出错了，未扣除任何积分。"),
    # -- flows -----------------------------------------------------------------------------------
    "queued": (
        "🎬 Queued: {summary}\n{price} credits held · position {position} · about {eta}.",
        "🎬 已排队：{summary}\n冻结 {price} 积分 · 第 {position} 位 · 约 {eta}。",
    ),
    "queued_free": (
        "🎬 Queued (relaxed, free): {summary}\nposition {position} · about {eta}.",
        "🎬 已排队（慢速，免费）：{summary}\n第 {position} 位 · 约 {eta}。",
    ),
    "started": ("🎞️ Rendering: {summary}", "🎞️ 正在渲染：{summary}"),
    "progress": (
        "🎞️ Rendering: {summary}\n{bar} {percent}% · {eta} left",
        "🎞️ 正在渲染：{summary}\n{bar} {percent}% · 剩余 {eta}",
    ),
    "done": (
        "✅ {prompt}\nby {author} · {price} credits · {summary}{lineage}",
        "✅ {prompt}\n作者 {author} · {price} 积分 · {summary}{lineage}",
    ),
    "lineage": ("\n↳ {action} of {parent}", "\n↳ 基于 {parent} 的{action}"),
    "failed": ("❌ That clip failed: {reason}", "❌ 生成失败：{reason}"),
    "cancelled": ("🛑 Cancelled. {refunded} credits refunded.", "🛑 已取消，退还 {refunded} 积分。"),
    "cancelling": ("🛑 Stopping your job…", "🛑 正在停止你的任务…"),
    "nothing_to_cancel": ("You have no job to cancel.", "你没有可取消的任务。"),
    "confirm_spend": (
        "This costs {price} credits (you have {available}). Go ahead?",
        "这将花费 {price} 积分（你有 {available}）。确认吗？",
    ),
    "confirm_about_bot": (
        "That reads like a question about me rather than a clip to make. Make a clip of "
        "“{prompt}” for {price} credits anyway?",
        "这看起来像是在问我问题，而不是要生成视频。仍要花费 {price} 积分生成“{prompt}”吗？",
    ),
    "offer_alternative": (
        "{reason}\nI can make it as {summary} for {price} credits instead.",
        "{reason}\n可以改为 {summary}，花费 {price} 积分。",
    ),
    "no_alternative": ("{reason}", "{reason}"),
    "ignored_flags": ("(I ignored options I don't know: {flags})", "（忽略了无法识别的参数：{flags}）"),
    "already_taken": (
        "I have that message already; its clip is on the way.",
        "这条消息我已经收到了，视频正在制作中。",
    ),
    "already_on_it": ("Already on it — that tap was counted once.", "已经在处理了，这次点击只算一次。"),
    "dismissed": ("Okay, nothing was charged.", "好的，未扣除任何积分。"),
    "balance": (
        "💳 {available} credits ({allowance} monthly + {topup} top-up) · plan {plan} · "
        "{held} held · resets {reset}",
        "💳 {available} 积分（月度 {allowance} + 充值 {topup}）· 套餐 {plan} · 冻结 {held} · 重置于 {reset}",
    ),
    "plans_header": ("Plans:", "套餐："),
    "plan_line": (
        "• {name}: {credits} credits/month, up to {res} and {seconds} s, {jobs} at once{relaxed}{wm}",
        "• {name}：每月 {credits} 积分，最高 {res}、{seconds} 秒，同时 {jobs} 个{relaxed}{wm}",
    ),
    "plan_relaxed_yes": (", relaxed mode free", "，慢速模式免费"),
    "plan_watermark": (", watermark", "，带水印"),
    "plan_roles": (" · with the role {roles}", " · 身份组 {roles} 可获得"),
    "prices_line": (
        "Prices (credits, 5 s): 480p {p480} · 720p {p720} · 1080p {p1080}; square is cheaper.",
        "价格（积分，5 秒）：480p {p480} · 720p {p720} · 1080p {p1080}；方形更便宜。",
    ),
    "queue_empty": ("You have no jobs in the queue.", "你没有排队中的任务。"),
    "queue_line": ("• `{id}` {state} {summary}{where}", "• `{id}` {state} {summary}{where}"),
    "feed_empty": (
        "No clips yet. Be the first: `/video a cat surfing a wave`.",
        "还没有视频。来做第一个：`/video 一只冲浪的猫`。",
    ),
    "feed_line": ("• {prompt} — {author} ({summary})", "• {prompt} — {author}（{summary}）"),
    "deleted": ("🗑️ Deleted.", "🗑️ 已删除。"),
    "reported": ("🚩 Thanks, the admins will take a look.", "🚩 谢谢，管理员会查看。"),
    "shared": (
        "📣 Shared: the clip is in the community feed now.",
        "📣 已分享：这个视频现在出现在社区动态里。",
    ),
    "share_nothing": ("You have no private clip to share.", "你没有可分享的私密视频。"),
    "banned_user": ("{user} can no longer make clips.", "{user} 已被禁止生成视频。"),
    "unbanned": ("{user} can make clips again.", "{user} 已恢复生成视频。"),
    "review_kept": ("Clip {job} stays up; reports no longer hide it.", "视频 {job} 保留，举报不再隐藏它。"),
    "review_removed": ("Clip {job} is removed from the feed and deleted.", "视频 {job} 已从社区移除并删除。"),
    "pool": ("Engine workers: {count}\n{lines}", "渲染节点：{count} 个\n{lines}"),
    "reviews_pending": (
        "Clips hidden by reports, waiting for /review: {items}",
        "因举报被隐藏、等待 /review 的视频：{items}",
    ),
    "tipped": (
        "💖 Tipped {author} {credits} credits. You have {balance_after} left.",
        "💖 已打赏 {author} {credits} 积分，你还剩 {balance_after} 积分。",
    ),
    "tip_already": (
        "You already tipped this clip; one tip per clip.",
        "你已经打赏过这个视频了，每个视频只能打赏一次。",
    ),
    "clip_link_instead": (
        "The clip is over this server's {limit_mb} MB upload limit, so it's on the web channel: {url}",
        "视频超过本服务器 {limit_mb} MB 的上传上限，已放在网页频道：{url}",
    ),
    "ask_remix_prompt": (
        "Reply to the clip with what to change (e.g. `make it night`).",
        "请回复该视频并说明要改什么（例如：`改成夜晚`）。",
    ),
    "link_code": (
        "Your link code: `{code}` (valid {minutes} min). Send `/link {code}` from your other account.",
        "你的绑定码：`{code}`（{minutes} 分钟内有效）。请在另一个账号发送 `/link {code}`。",
    ),
    "linked": ("🔗 Linked: {ids} now share one wallet.", "🔗 已绑定：{ids} 现在共用一个钱包。"),
    "unlinked": ("Unlinked {user}.", "已解除 {user} 的绑定。"),
    "auto_approve_set": (
        "Spends up to {credits} credits now start without asking.",
        "{credits} 积分以内的消费将不再询问。",
    ),
    "granted": ("Granted {amount} credits to {user}.", "已给 {user} 增加 {amount} 积分。"),
    "plan_set": ("{user} is now on the {plan} plan.", "{user} 现在是 {plan} 套餐。"),
    "refunded": ("Refunded {amount} credits for job {job}.", "已为任务 {job} 退还 {amount} 积分。"),
    "admin_balance": (
        "{user}: {available} credits ({allowance} + {topup}), plan {plan}, {held} held.",
        "{user}：{available} 积分（{allowance} + {topup}），套餐 {plan}，冻结 {held}。",
    ),
    "buy_header": ("Buy credits with Telegram Stars:", "使用 Telegram Stars 购买积分："),
    "buy_title": ("{credits} Reelbot credits", "{credits} Reelbot 积分"),
    "buy_description": (
        "{credits} credits for video generation; they never expire.",
        "{credits} 视频生成积分，永不过期。",
    ),
    "paid": (
        "⭐ Thanks! {credits} credits added. Balance: {balance_after}.",
        "⭐ 谢谢！已增加 {credits} 积分，余额：{balance_after}。",
    ),
    "help": (
        "🎬 *Reelbot* makes short video clips.\n"
        "• `/video a fox in snow 10s 720p vertical` — text to video\n"
        "• send a photo with a caption — animate it\n"
        "• reply to a clip: `make it night` (remix), `loop`, `trim 1-3s`, `extend`\n"
        "• two clips + caption — blend them\n"
        "• `storyboard: 0s a seed; 5s a sprout; 10s a tree`\n"
        "Options: 5–20s · 480p/720p/1080p · 16:9, 9:16, 1:1 · `--seed 42` · `--no text` · `4 variations` · `relaxed`\n"
        "Also: /balance /plans /queue /cancel /feed /link",
        "🎬 *Reelbot* 生成短视频。\n"
        "• `/video 雪地里的狐狸 10秒 720p 竖屏` — 文字生成视频\n"
        "• 发送带说明的图片 — 让图片动起来\n"
        "• 回复某个视频：`改成夜晚`（重绘）、`循环`、`剪 1-3秒`、`延长`\n"
        "• 两个视频 + 说明 — 融合\n"
        "• `故事板: 0秒 种子; 5秒 发芽; 10秒 大树`\n"
        "选项：5–20 秒 · 480p/720p/1080p · 横屏/竖屏/方形 · `--seed 42` · `--no 文字` · `四个版本` · `慢速`\n"
        "另有：/balance /plans /queue /cancel /feed /link",
    ),
    # -- the web channel ---------------------------------------------------------------------------
    "web_bad_request": ("That request is not right: {detail}", "请求有误：{detail}"),
    "web_bad_form": ("That form is not right: {detail}", "表单有误：{detail}"),
    "web_too_large": ("That request is too large.", "请求太大了。"),
    "web_token_required": (
        "This Reelbot needs its access token: open the address you were given (with "
        "?token=...) or send Authorization: Bearer <token>.",
        "需要访问令牌：请打开带 ?token=... 的地址，或发送 Authorization: Bearer <令牌>。",
    ),
    "web_bad_origin": ("Requests from other sites are not accepted.", "不接受来自其他网站的请求。"),
    "web_bad_cookie": (
        "Your browser's Reelbot cookie is not one this server signed. Reload the page to start "
        "as a new member.",
        "浏览器中的 Reelbot cookie 不是本服务器签发的，请刷新页面以新成员身份开始。",
    ),
    "web_tiny_model": (
        "This Reelbot runs the tiny offline model: clips are coloured noise, for trying the whole "
        "path on any machine. For real clips, run it on a machine with a CUDA GPU with "
        "REELBOT_MODEL=auto (or a preset from `reelbot presets`).",
        "当前使用离线微型模型：生成的视频只是彩色噪点，用于在任何机器上体验完整流程。要生成真实视频，请在带 CUDA GPU 的机器上"
        "设置 REELBOT_MODEL=auto（或 `reelbot presets` 中的预设）。",
    ),
    # -- button labels -------------------------------------------------------------------------
    "btn_remix": ("🔀 Remix", "🔀 重绘"),
    "btn_loop": ("🔁 Loop", "🔁 循环"),
    "btn_extend": ("➕ Extend", "➕ 延长"),
    "btn_variation": ("🎲 Variation", "🎲 变体"),
    "btn_delete": ("🗑️ Delete", "🗑️ 删除"),
    "btn_report": ("🚩 Report", "🚩 举报"),
    "btn_share": ("📣 Share to the feed", "📣 分享到社区"),
    "btn_tip": ("💖 Tip {price}", "💖 打赏 {price}"),
    "btn_cancel_job": ("🛑 Cancel", "🛑 取消"),
    "btn_confirm": ("✅ Go ({price} credits)", "✅ 确认（{price} 积分）"),
    "btn_accept_alt": ("✅ Make it ({price} credits)", "✅ 就这样（{price} 积分）"),
    "btn_dismiss": ("✖️ No thanks", "✖️ 不用了"),
    # -- chat menus, forms and option hints (Discord's context menus, modals, the clip-link option) ----
    "menu_remix": ("Remix clip", "重绘视频"),
    "menu_loop": ("Loop clip", "循环视频"),
    "menu_extend": ("Extend clip", "延长视频"),
    "cmd_extend": ("Make a clip 5 seconds longer", "把视频延长 5 秒"),
    "opt_clip_link": (
        "Link to one of my clip posts (right-click it, Copy Message Link)",
        "我发布的视频消息链接（右键点击视频，复制消息链接）",
    ),
    "modal_remix_title": ("Remix this clip", "重绘这个视频"),
    "modal_remix_label": ("What should change?", "要改什么？"),
    "modal_remix_placeholder": ("make it night, snow falling", "改成夜晚，下着雪"),
    "modal_storyboard_title": ("Storyboard", "故事板"),
    "modal_storyboard_label": ("Cards, one per line: time and shot", "镜头，每行一个：时间和画面"),
    "modal_storyboard_placeholder": (
        "0s a seed in the soil\n5s a sprout\n10s a tall tree",
        "0秒 土里的种子\n5秒 发芽\n10秒 一棵大树",
    ),
    # -- small words -----------------------------------------------------------------------------
    "state_queued": ("queued", "排队中"),
    "state_running": ("rendering", "渲染中"),
    "where_position": (" · position {position}", " · 第 {position} 位"),
    "where_progress": (" · {percent}%", " · {percent}%"),
    "eta_seconds": ("{n} s", "{n} 秒"),
    "eta_minutes": ("{n} min", "{n} 分钟"),
    "action_create": ("clip", "视频"),
    "action_animate": ("animation", "动画"),
    "action_remix": ("remix", "重绘"),
    "action_blend": ("blend", "融合"),
    "action_recut": ("recut", "剪辑"),
    "action_loop": ("loop", "循环"),
    "action_storyboard": ("storyboard", "故事板"),
    "relaxed_word": ("relaxed", "慢速"),
    "variations_word": ("{n} variations", "{n} 个版本"),
}


def text(key: str, lang: str = "en", /, **params: Any) -> str:
    """The bare template `key` in `lang` (English fallback), filled with `params`. Unknown keys fall back
    to the generic internal-error text so a member never sees a raw key. Channels call `render`."""
    pair = _TABLE.get(key) or _TABLE["internal"]
    template = pair[1] if lang == "zh" else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(key: str) -> bool:
    """Is `key` a message: a template of the table or one composed from several (plans, feed...)?"""
    return key in _TABLE or key in _BUILDERS


def keys() -> list[str]:
    """Every template key of the table (composed messages are built from these)."""
    return list(_TABLE)


def placeholders(key: str, lang: str) -> set[str]:
    """The `{names}` the template `key` uses in `lang`."""
    template = _TABLE[key][1 if lang == "zh" else 0]
    return {name for _, name, _, _ in Formatter().parse(template) if name}


# -- rendering a Reply -------------------------------------------------------------------------------


def render(reply: Reply, lang: str = "en") -> str:
    """The text of `reply` in `lang`: its message, filled from its params (nested messages rendered in
    place) and its typed fields (price, position, eta, progress, job, lineage), plus a line naming the
    options the parser ignored."""
    out = _message(reply.key, reply.params, lang, reply)
    ignored = reply.params.get("ignored")
    if ignored:
        out += "\n" + text("ignored_flags", lang, flags=", ".join(str(f) for f in ignored[:5]))
    return out


def render_nested(value: dict[str, Any], lang: str = "en") -> str:
    """A nested message ({"key", "params"}) on its own, e.g. an offer's reason."""
    return _message(str(value["key"]), dict(value.get("params") or {}), lang, None)


def label(button: Button, lang: str = "en") -> str:
    """The caption of `button` in `lang`."""
    key = _BUTTON_KEYS.get(button.action, "btn_dismiss")
    return text(key, lang, price=button.price if button.price is not None else "")


_BUTTON_KEYS = {
    "confirm": "btn_confirm",
    "accept": "btn_accept_alt",
    "dismiss": "btn_dismiss",
    "cancel": "btn_cancel_job",
    "remix": "btn_remix",
    "loop": "btn_loop",
    "extend": "btn_extend",
    "variation": "btn_variation",
    "delete": "btn_delete",
    "report": "btn_report",
    "share": "btn_share",
    "tip": "btn_tip",
}


def eta_words(seconds: float | None, lang: str = "en") -> str:
    """'12 s' under a minute and a half, else whole minutes."""
    s = max(1, int(math.ceil(seconds or 0)))
    if s < 90:
        return text("eta_seconds", lang, n=s)
    return text("eta_minutes", lang, n=int(math.ceil(s / 60)))


def progress_bar(fraction: float, width: int = 10) -> str:
    filled = max(0, min(width, int(round(fraction * width))))
    return "▰" * filled + "▱" * (width - filled)


def _value(v: Any, lang: str) -> Any:
    if isinstance(v, dict) and "key" in v:
        return render_nested(v, lang)
    if isinstance(v, list) and v and all(isinstance(x, dict) and "key" in x for x in v):
        return "\n".join(render_nested(x, lang) for x in v)
    return v


def _message(key: str, params: dict[str, Any], lang: str, reply: Reply | None) -> str:
    builder = _BUILDERS.get(key)
    if builder is not None:
        return builder(params, lang, reply)
    values: dict[str, Any] = _typed(reply, lang) if reply is not None else {}
    values.update((k, _value(v, lang)) for k, v in params.items())
    return text(key, lang, **values)


def _typed(reply: Reply, lang: str) -> dict[str, Any]:
    """Template values read from a Reply's typed fields."""
    progress = reply.progress or 0.0
    values: dict[str, Any] = {
        "price": reply.price if reply.price is not None else 0,
        "position": reply.position,
        "eta": eta_words(reply.eta_s, lang),
        "percent": int(progress * 100),
        "bar": progress_bar(progress),
        "job": reply.job_id,
        "balance_after": reply.balance_after,
        "lineage": "",
    }
    if reply.parent_job:
        action = text(f"action_{reply.params.get('action', 'create')}", lang)
        values["lineage"] = text("lineage", lang, action=action, parent=reply.parent_job)
    return values


def _cut(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[:limit] + "…"


def _summary(p: dict[str, Any], lang: str, _: Reply | None) -> str:
    """'5 s · 480p · 16:9' plus variations and relaxed."""
    parts = [text("eta_seconds", lang, n=p.get("seconds")), str(p.get("resolution")), str(p.get("aspect"))]
    if int(p.get("variations") or 1) > 1:
        parts.append(text("variations_word", lang, n=p["variations"]))
    if p.get("mode") == "relaxed":
        parts.append(text("relaxed_word", lang))
    return " · ".join(parts)


def _done(p: dict[str, Any], lang: str, reply: Reply | None) -> str:
    values = _typed(reply, lang) if reply is not None else {"price": 0, "lineage": ""}
    values.update((k, _value(v, lang)) for k, v in p.items())
    values["prompt"] = _cut(str(p.get("prompt") or ""), 600) or "—"
    return text("done", lang, **values)


def _plans(p: dict[str, Any], lang: str, _: Reply | None) -> str:
    lines = [text("plans_header", lang)]
    for plan in p.get("plans") or []:
        lines.append(
            text(
                "plan_line",
                lang,
                name=plan["name"],
                credits=plan["credits"],
                res=plan["max_resolution"],
                seconds=plan["max_seconds"],
                jobs=plan["max_concurrent"],
                relaxed=text("plan_relaxed_yes", lang) if plan.get("relaxed") else "",
                wm=text("plan_watermark", lang) if plan.get("watermark") else "",
            )
            + (
                text("plan_roles", lang, roles=", ".join(str(r) for r in plan["roles"]))
                if plan.get("roles")
                else ""
            )
        )
    prices = p.get("prices_5s") or {}
    lines.append(
        text("prices_line", lang, p480=prices.get("480p"), p720=prices.get("720p"), p1080=prices.get("1080p"))
    )
    return "\n".join(lines)


def _feed(p: dict[str, Any], lang: str, _: Reply | None) -> str:
    return "\n".join(
        text(
            "feed_line",
            lang,
            prompt=_cut(str(item.get("prompt") or ""), 80),
            author=item.get("author"),
            summary=_value(item.get("summary"), lang),
        )
        for item in p.get("items") or []
    )


def _queue(p: dict[str, Any], lang: str, _: Reply | None) -> str:
    lines = []
    for item in p.get("items") or []:
        where = (
            text("where_position", lang, position=item["position"])
            if item.get("position") is not None
            else text("where_progress", lang, percent=int(float(item.get("progress") or 0) * 100))
        )
        lines.append(
            text(
                "queue_line",
                lang,
                id=item["job"],
                state=text(f"state_{item['state']}", lang),
                summary=_value(item.get("summary"), lang),
                where=where,
            )
        )
    return "\n".join(lines)


_BUILDERS: dict[str, Callable[[dict[str, Any], str, Reply | None], str]] = {
    "summary": _summary,
    "done": _done,
    "plans": _plans,
    "feed": _feed,
    "queue": _queue,
}
