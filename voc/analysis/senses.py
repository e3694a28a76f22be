"""Which topic mentions are meant: the sense rules applied to the tagger's hits.

The clause rules of :mod:`voc.analysis.aspects` give every topic term found its polarity.
Two kinds of mention are then not a topic of the text, whatever their polarity:

* **A circumstance** (``context`` rows of ``topics.tsv``: 玩游戏, 原神, 打电话, 收到货).
  Playing a game, making a call or receiving the parcel is what the customer was doing,
  not what they judge. Such a term names its topic only when an opinion word attaches
  to it (玩游戏很流畅: the evidence is longer than the term) or when its clause is a
  question (什么时候到货: a question raises its topic); otherwise (收到货发现是翻新机,
  打电话给售后, 玩了半小时原神) it is dropped.
* **A party, in a ticket** (``party`` rows: 客服, 商家, 店铺, 回复). A customer-service
  chat is held with the agent: naming the agent or seller there (转人工, 是人工客服吗,
  卖家同意后, 请回复) is addressing them, not judging them, and is dropped; a judgement
  (客服很耐心, 商家不理人, 回复太慢: the evidence is longer than the term) stays. In a
  review, the customer reports to other buyers, and a mention of the agent (问了客服, 客服说)
  is about the service: it stays.
* **A question, in a ticket**, asks for information: a positive reading there (可以退货吗,
  拒收可以吗: 可以 is the modal "may") is neutral, whichever clause asks. In any text an
  asked, wished or supposed clause asserts no opinion of its own terms
  (:mod:`voc.analysis.aspects`, rule 6): review questions are mostly rhetorical (能不满意吗,
  价格低就发次品吗), and their literal polarity is the opposite of what they mean.
* **Politeness, in a ticket.** A chat ends in 好的, 谢谢 and 辛苦了, said to the agent: an
  aspect named bare (物流, 配送, 售后, 价保: no opinion word of its own) that reads positive
  only from its clause or the whole chat is neutral there (一般几天可以到深圳呢? / 嗯，好的，谢谢
  praises no courier). A praise attached to the term (物流很快) stays, and so does a
  complaint, which a chat does not make out of politeness.
* **The goods of a purchase, in a ticket.** A thing named bare right after the verb that
  bought it (我买的这个显示器，发票怎么是个人?, 买了两台电风扇) is the goods an order, an invoice
  or a delivery is about, not a product the customer judges: it is dropped, whatever the
  rest of the session says (its reading comes from there). Said of it, an opinion or a
  defect (买的耳机没声音) stays.
* **A part named bare, in a ticket.** A customer-service chat is about an order: a part of the
  goods named bare (the term alone, no opinion word or complaint of its own) in a turn that
  neither asks nor judges (我随硬盘寄来了硬盘盒, 在app里没有这张单的发票, 电脑到了，鼠标没到) is what the
  order is about, and is dropped; asked about (这个刷新率是多少, 尺寸告诉我, 不会东西放硬盘里找不到吧) it
  raises its topic. The services (delivery, after-sales, the agents), the price and the
  goods' authenticity are what a chat is for, and keep their bare mentions.
* **送, in a ticket**, is the delivery (那这个件不会再送了吧, 是不是搞错了，所以没送, 别送了, 明天送的): a chat
  about an order names the seller's freebie (赠品), or names what is given after 送 (会送耳机吗, 是送的么, 送个赠品). A review tells other buyers what
  came with the goods (还送了一个鼠标), and keeps the reading.
* **Speed, in a ticket**, is the service's: a customer-service chat is about an order,
  and 京东买东西都这么慢, 你们的速度呢, 不要了!这么慢!, 到账了，速度太快了 judge the delivery,
  the refund or the reply. A speed word alone (慢, 速度, 速度很快, 从来没有这么慢) reads as the
  device's running only with the device in its clause (手机很慢, 开机速度慢, 系统运行很慢).
  The platform's back office (后台无法改, 说后台有问题, 后台奖励) is no background app either,
  unless something runs there (后台运行, 后台程序); nor are its system, app and messages named
  bare (能不能系统审批一下, 在app里没有这张单的发票, 短信回复商家电话, 是不是要自己下载呢, 没操作过),
  unless the device is in the clause (手机系统升级了).
* **Slow, of the service just named.** A clause of nothing but 慢 and its adverbs
  (太慢了, 怎么这么慢, 好慢) has no subject of its own: Chinese leaves out the subject a
  clause shares with the one before (a topic chain), so right after a clause about a
  service (物流长时间没更新，太慢了; 我的快递到哪了 / 怎么这么慢; 一直在派送，好慢) the slowness is the
  service's, not the device's running: the performance reading is dropped and the
  service's mention, if it had no polarity, becomes the complaint. With a subject
  (开机很慢, 手机太慢了) or after a clause about the device, 慢 keeps its reading.
* **A complaint with no subject, in a ticket.** The same topic chain holds across a chat's
  turns: a delay said with no subject (这么久, 时间有点长, 两天了还在送, 等了三天, 要好几天才可以到,
  从来没有这么慢过) is the service's named last before it (else first after it), and an outright
  complaint (太坑了, 悲催, 肉疼了) the service's or the price's: 我的快递到哪了 / 这么久 complains of
  the delivery. A time of use (用了好几天了), a spec (待机时间长) or a question about a wait
  (是在等一周吗, 还要几天才到?) is no delay. A ticket's bare mention takes no polarity from the
  opinion words of the other turns (修改地址 / 后台无法改: 无法 is the back office's).
* **An update, in a ticket that names the delivery**, is the tracking's (京东快递电话多少 / 现在还没更新啊,
  我的物流不更新 … 结果一直不更新): the software reading is dropped, and a denied update makes the
  delivery a complaint. With the device or its software in its clause (系统还没更新, 手机不更新) it
  keeps its reading.
* **A refund, in a chat about price protection** (申请价保 / 能退我30块吗, 以什么方式退费), is the
  difference paid back: the price's, not a return. A return of the goods (退货) stays one.
* **An indignant question, in a ticket.** Asking why something is demanded, still or not done
  (为什么要收运费, 为什么还没有给我送来, 为什么查不到物流) or how come it is still not or again
  (怎么这个订单还没有发货, 怎么又取消了) challenges what was done with one's own order: a complaint in
  the form of a question. Asking how, when, or the reason for an amount (什么时候发货,
  价保为什么是20块) asks.
* **Not done, and found after all, in a ticket.** A thing after what the customer did not do
  (没有领到优惠券, 没用券, 没有足够京东豆) is not missing, no complaint. Goods reported not received
  and then found (没收到货 / 收到了 不好意思) withdraw the report, as a hazard denied after it is.
* **Not yet delivered, as the premise of a request, in a ticket.** Goods not yet shipped or
  received (还没发货, 尚未收到货, 还没派送, 没有货) in a chat that asks to stop or change the order
  (拦截, 取消, 退货, 退款, 改地址, 差价) are why the request can be made, not a grievance: neutral,
  unless the chat complains of the wait as well (an indignant question, a delay, urging: 快点,
  等不了; a promise broken: 不是说今天送达嘛).
* **The instrument of an installation.** A thing used to install the system (我是用U盘装的,
  用集成驱动的光盘引导安装, 找了个外置光驱装了XP), named with nothing said of it or with an opinion
  taken across the installation (用移动硬盘装系统很方便), is a tool, not a part judged: dropped.
* **The exception of a praise.** What is excepted right after 除了 from a praise of the rest
  (除了蓝牙其他该有的都有了, 除了价格，其它都满意) is what falls short: the praise read into it is a
  complaint. Said of itself (除了充电器有异响外, 除了待机时间长，其他都一样) it keeps its reading.
* **The standard of a comparison.** A thing named right after 比 is what the goods are compared
  with, not what is judged (整体外型比照片好看很多 praises the looks, not the photo); it is dropped
  when something else is named.
* **Below another.** A praise said of what the goods are compared below is a complaint:
  个人认为本机还不如CX65来的好看, 当然没有TFT的屏幕好. (没有坏点 denies a defect, a praise.)
* **A complaint denied after it.** Chinese puts what it asks about first and says
  whether it is there after: 坏点没有, 漏光没有发现, 卡顿问题没有遇到, 黑屏的情况没有再出现 deny
  the defect (as 没有坏点 does), a praise. Only a complaint phrase (a ``neg`` row: 卡顿,
  坏点) is read so; an aspect followed by 没有 (赠品没有, 膜没有) is missing, a complaint, and
  a denial that goes on (没有解决, 没有以前那么严重) is no denial of the defect.
* **The place of a symptom.** Heat and noise are felt somewhere: in 机身烫, C面左侧烫手,
  外壳很烫, 打游戏键盘烫得厉害 the part (and the activity) before the symptom says where
  and when, and the complaint is the symptom's (thermal). A hit of another topic whose
  evidence starts shortly before a thermal or noise complaint in the same clause, and
  either has no opinion of its own (neutral, ending before the symptom) or took its
  opinion across the symptom (its evidence runs into it), is dropped. A part with an
  opinion of its own before the symptom (键盘手感好但是发热) keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from voc.analysis import regex_cache

__all__ = ["Senses"]

_BOUNDARY = regex_cache.compile(r"[，。！？；,.!?;\n]|\s(?=\S)")
#: A question raises its topic (the labelling rule for tickets): a question mark, a
#: question particle or a question word in the clause.
_QUESTION = regex_cache.compile(r"[?？]|吗|么|嘛|呢|什么|怎么|怎样|如何|多久|多长时间|几天|哪|能不能|可不可以|可以吗|是否|有没有|为啥|为什么|"
                       # a request that ends in "that will do" (给送货员就可以啦, 在实体店维修可以吧)
                       r"就可以[了啦吧呀]?\s*$|可以[吧啦]\s*$|"
                       # an A-not-A question (玩游戏卡不卡, 热不热); 动不动 is "at every turn", 是不是 (is it that) is read as before
                       r"(?!动不动|是不是)([\u4e00-\u9fff])不\1")
#: The verb that bought a thing and what may stand between them (买的这个, 买了两台, 下单的, a brand: 买sony耳机),
#: ending where the thing's name starts.
_BOUGHT = regex_cache.compile(r"(?:买|购买|拍|下单|订购|订)(?:了|的|过)?(?:这|那|一|两|三|几)?(?:个|款|台|部|只|件|套|块|条|副|张|根|双|对|支|把|本|盒|瓶|袋)?的?"
                     r"(?:[A-Za-z][A-Za-z0-9 ]{1,10}|\[数字x\]|\[姓名x\])?$")
#: The evidence of 送 alone (or denied), ending its clause (不会再送了吧, 所以没送, 还没送呢):
#: in a ticket, the delivery. 送 with what is given after it (会送耳机吗, 是送的么, 送个赠品)
#: is the freebie.
_DELIVERED = regex_cache.compile(r"(?:没有?|不|未|别)?送")
def _delivered_alone(text: str, hit: tuple[str, int, int, int]) -> bool:
    """Whether ``hit``'s evidence is 送 alone (or denied) ending its clause, or right after a
    time (明天送的): the delivery, not a gift."""
    return _DELIVERED.fullmatch(text, hit[2], hit[3]) is not None and (
        _DELIVERED_END.match(text, hit[3]) is not None
        or _DELIVERY_TIME.search(text, max(0, hit[2] - 6), hit[2]) is not None)


#: The delivery named in a review's sentence (送货上门, 送到, 快递): a 送 alone there is its.
_DELIVERY_SAID = regex_cache.compile(r"送货|送到|配送|派送|快递|物流|上门")
#: A time right before 送 (明天送的, 几点送): the delivery, whatever follows.
_DELIVERY_TIME = regex_cache.compile(r"(?:今天|明天|后天|今晚|明早|当天|次日|第二天|几点|什么时候|啥时候|何时)(?:能|会|就|才|再|给)?$")
_DELIVERED_END = regex_cache.compile(r"(?:了|过|呢|吧|吗|么|啊|呀|对吧|是吧)*(?:$|[\s/，。！？?!,.~…;；])")
#: The evidence of a speed word alone, however strong or denied (慢, 速度, 速度太快, 这么慢,
#: 从来没有这么慢): in a ticket, the service's unless the device is in its clause.
_SPEED_ONLY = regex_cache.compile(r"(?:从来)?(?:没有?|不)?(?:这么|那么|太|很|好|超|也|还|真|非常|特别)*(?:速度|慢|快)"
                         r"(?:很|太|也|还|非常|挺|真|超|好)*(?:快|慢)?")
#: The goods themselves, by the names a chat gives them.
_DEVICE_NAMES = r"手机|电脑|笔记本|平板|机器|机子|本子"
#: The device or what it does, before a speed word in its clause (手机很慢, 开机速度慢).
_DEVICE = regex_cache.compile(_DEVICE_NAMES + r"|系统|运行|开机|关机|启动|打开|加载|反应|网速|网络|wifi|"
                     r"充电|下载|上网|游戏|软件|app|应用|处理器|cpu|传输|读写|拷贝|电池", re.IGNORECASE)
#: The shop's platform named in a chat (系统, app, 短信, 下载, 操作, 激活, 界面, 升级), bare or barely negated
#: (没操作过): the system that processes the order, its app and its messages, not the device's software ...
_PLATFORM = regex_cache.compile(r"(?:没有?|不|未)?(?:系统|app|短信|下载|操作|激活|界面|升级)(?:快|过|了)?", re.IGNORECASE)
#: The same for what the platform shows and offers, a chat's 显示 being a verb (物流上没有显示昆山,
#: 为什么显示售后完成, 不是显示免费调货吗) and its 按钮 the page's (没有退货这个按钮了, 申请售后按钮在哪里).
_PLATFORM_OF = {"software": _PLATFORM,
                "display": regex_cache.compile(r"(?:没有?|不|未|不是)?显示"),
                "input": regex_cache.compile(r"(?:没有?|不|未)?(?:这个|那个)?按钮")}
#: ... unless the device, or installing it, is named in the clause (手机系统升级了, 平板的app打不开, 系统装好了吗).
_OWN_DEVICE = regex_cache.compile(_DEVICE_NAMES + r"|手表|电视|显示器|路由器|耳机|装")
#: 后台 where something runs (后台运行, 后台程序): background apps, not the back office.
_BACKGROUND = regex_cache.compile(r"后台(?!运行|程序|应用|软件|进程|服务|清理|杀|耗电|刷新|自启|常驻|挂)")
#: An update alone, said or denied (更新, 没更新, 还没有更新了, 一直不更新): in a ticket that names the
#: delivery, the tracking's unless the device or its software is in its clause.
_UPDATE_ONLY = regex_cache.compile(r"(?:一直|还|都|也)?(?:没有?|不|未)?更新(?:了)?")
_SOFTWARE_WORDS = regex_cache.compile(r"系统|软件|app|应用|固件|版本|驱动|bios|ota|升级", re.IGNORECASE)
#: A clause with no subject before its 慢: only adverbs, degree words and question words
#: (太慢了, 怎么这么慢, 也太慢了吧, 还是好慢).
_SUBJECTLESS = regex_cache.compile(r"(?:[\s/]|但是?|可是|就是|而且|不过|还是|也|还|都|又|真的?|实在|太|好|很|非常|特别|超级?|巨|"
                          r"怎么|咋|这么|那么|这样|那样|有点|有些|比较|挺|蛮|相当|确实|简直|未免|是不是|是|也太)*")
#: The instrument of an installation (用U盘装的, 用集成驱动的光盘引导安装, 找了个外置光驱装了XP): a
#: thing used to install the system, not a part judged (用固态硬盘启动很快 praises the disk: booting
#: is no installation).
_INSTRUMENT_BEFORE = regex_cache.compile(r"(?:用|拿|通过|找了?个|借了?个)[^，。！？；,.!?;\s/]{0,6}$")
_INSTALLED_AFTER = regex_cache.compile(r"[^，。！？；,.!?;\s/]{0,10}?(?:装|安装|引导|重装|刷)")
#: ... an opinion taken across the installation is the installation's (用移动硬盘装系统很方便)
_INSTALLING = regex_cache.compile(r"装|引导|刷")
#: A comparison that puts the goods below another (没有TFT的屏幕好, 没那么清晰): its praise word
#: is the other's, the goods fall short. A negated word there (没有传说的那么不好) is a fault
#: denied: the goods are better than said.
_NOT_AS = regex_cache.compile(r"(?:没有|没)[^，。！？；,.!?;\s/]{1,8}?(?:那么|这么)?(?<![不没])"
                     r"(?:好|强|好看|漂亮|清晰|快|流畅|大|高|亮|稳定|耐用|精致|细腻)$")
#: After a complaint phrase: a denial that it happens, ending its clause (坏点没有, 卡顿问题
#:没有遇到, 黑屏的情况没有再出现过, 发热问题我这没有).
_DENIED_AFTER = regex_cache.compile(
    r"(?:的?(?:问题|现象|情况|毛病))?(?:也|都|还|倒是|倒|暂时|目前|基本上?|完全|从来|根本|一直|我这里?|我的)*"
    r"(?:没有|没|未|不存在)(?:再|过|发生|遇到|出现|发现|碰到|见到|看到|遇见)*(?:了|啊|哦|呢|哈|呀|的)*"
    r"(?=$|[，。！？；,.!?;\s/~…])")
#: What a complaint's evidence may end in (卡顿问题, 黑屏的情况).
_KIND_OF_TROUBLE = regex_cache.compile(r"的?(?:问题|现象|情况|毛病)$")
#: How far (characters) the start of a place may be before its symptom.
PLACE_SPAN = 8
#: How many characters may sit between a place with no opinion and its symptom (外壳很烫).
PLACE_GAP = 2
#: Topics whose part is at fault itself when hot or noisy, not a place on the machine where
#: its symptom is felt: a thing apart from it (a charger, earphones: 充电器很烫, 充电器有异响)
#: and the battery (电池也很烫, a battery fault and maybe a safety one). Their mention takes
#: the symptom's complaint.
_OWN_SYMPTOM = frozenset({"ports_accessories", "battery"})
#: What may stand between a part and the symptom felt there besides :data:`PLACE_GAP`
#: characters: a side or spot of it and adverbs (键盘左边都烫手, 底部那块特别烫).
_PLACE_WORDS = regex_cache.compile(r"的?(?:左边|右边|左侧|右侧|左面|右面|上边|下边|上面|下面|上方|下方|左上角|右上角|左下角|右下角|"
                          r"底部|顶部|背面|背部|侧面|后面|边上|旁边|两侧|四周|附近|周围|"
                          r"这块|那块|这里|那里|位置|部分|区域|一块|中间|地方)?"
                          r"(?:都|也|很|有点|有些|非常|特别|超|太|好|会|就|还|比较|挺|真的|有|总有|老有)*")


_NEGATORS = frozenset("不没无未别")

_N = r"(?:\d+|[一两三四五六七八九十几半]|\[数字x\])"
#: A number that is not asked for (还要几天才到? asks how many)
_KNOWN_N = r"(?:\d+|[一两三四五六七八九十半]|\[数字x\])"
#: A delay complained of, with no subject of its own (这么久, 太久了, 时间有点长, 好几天了, 两天了还在送,
#: 等了三天, 还要一到两天才到, 要好几天才可以到, 从来没有这么慢过, 等到花儿都谢了, 都已经四天了): in a ticket, said of the
#: service named nearest (see the module's rules). Not a question (是在等一周吗 asks), not a
#: time of use (用了好几天了), not a spec (待机时间长).
_DELAY = regex_cache.compile(
    r"(?:这么|那么|太|好|也太|有点|很|这样)久(?![没不]用)"
    r"|(?<!用了)(?<!买了)(?<!玩了)好几天了"
    r"|等了(?:好几|" + _N + r")(?:天|个?星期|周|个?月)"
    r"|(?:好几|" + _N + r")(?:天|个?星期|周)了?(?:还|都|也)(?:没|在|不|未)"
    r"|(?:还|要|还要|得|还得)(?:等)?(?:好几|" + _KNOWN_N + r"(?:到" + _KNOWN_N + r")?)(?:天|个?星期|周|个?月)才"
    r"|(?:这么|那么|太|好|真)慢|(?<![机航电用作])时间(?:有点|太|好|这么|那么|也太|有些)长|速度要疯|花儿都谢"
    r"|(?:都|已经|都已经)(?:好几|" + _KNOWN_N + r")(?:天|个?星期|周|个?月)了")
#: The customer's own doing before a thing that is then not missing (没有领到优惠券, 没用券,
#: 没有足够京东豆, 没选发票): in a ticket, what the customer did not do, no complaint about the goods
#: or the seller (a 没有 before a thing alone, 没有赠品, stays one).
_NOT_DONE = regex_cache.compile(r"(?:没有?|未)(?:领取?到?|用上?|使用|达到|设置|选择?|勾选|填写?|足够|够)")
#: Goods reported not received (没收到, 没有收到货, 还没拿到) or missing from the parcel (少一件, 就收到五块) ...
_NOT_RECEIVED = regex_cache.compile(r"(?:没有?|未|还没有?)(?:收到|到|拿到)|少件|少一件|少了一件|少东西|少发|(?:只|就|才)收到")
#: ... and found after all, later in the chat (收到了 不好意思, 这个到了, 都到了 没问题了): the report is
#: withdrawn, as a hazard denied after it is (电池鼓包了？没有，是我看错了).
_FOUND_AFTER_ALL = regex_cache.compile(r"(?<![没未不])(?:收到|找到|拿到|到)了(?=\s*(?:$|[，。！？,.!?/\s]|不好意思|没问题|谢谢))")
#: Goods not yet shipped, delivered or received, or out of stock, as a whole evidence (还没发货,
#: 尚未收到货, 没派送, 没有货) ...
_UNDELIVERED = regex_cache.compile(r"(?:还|尚|都)?(?:没有?|未)(?:收到|到|发货|发出|发|送到|送达|送|派送|配送|出库|签收|收)?货?")
#: ... in a chat that asks to stop or change the order, or for the difference of a price cut ...
_STOP_OR_CHANGE = regex_cache.compile(r"拦截|取消|退货|退款|退了|退回|别送|不要了|不想要|差价|价保|保价"
                                      r"|(?:改|修改|更改)(?:一下)?(?:收货)?(?:地址|时间|送货时间|配送时间)|(?:能|可以)改")
#: ... is its premise, unless the wait is complained of too (urged, or a promise recalled).
_URGED = regex_cache.compile(r"尽快|快点|赶紧|着急|急用|急着|我急|很急|等不了|不是说|说好|本来说")
#: An outright complaint with no subject of its own (太坑了, 这不扯淡嘛, 悲催, 吃不消, 肉疼了): in a
#: ticket, said of the service or the price named nearest, as a delay is.
_OUTRIGHT = regex_cache.compile(r"太坑|坑人|坑爹|扯淡|悲催|吃不消|狗血|肉疼|太过分|过分了|气死")
#: What a ticket's subjectless delay or outright complaint is said of, besides the services.
_COMPLAINED_OF = ("price",)
#: What a chat is about besides its services and price, bare mentions included (序列号, 验机).
_OF_THE_ORDER = ("authenticity",)
#: Price protection named in a chat (申请价保, 保价, 退差价) ...
_PRICE_PROTECTION = regex_cache.compile(r"价保|保价|价格保护|差价|差额")
#: ... makes a refund named alone its refund (能退我30块吗, 以什么方式退费, 刚刚退回20块钱): the
#: difference paid back, the price's, not a return of the goods (退货 stays one).
_BARE_REFUNDS = frozenset({"退", "退款", "退费", "退回", "退钱"})
#: How far (characters) the service a delay is said of may be named from it.
DELAY_REACH = 80
#: A why-question about what is demanded, still or not done (为什么要收运费, 为什么还没有给我送来,
#: 为什么查不到物流, 为啥不能; not 为什么需要, which asks) or a how-come-still/again one (怎么还没到, 怎么这个订单还没有消息,
#: 怎么又取消了, 我取消了 怎么还在派送呢, 运费怎么要收我10元): in a chat about one's own order, a challenge to what was done, a complaint in
#: the form of a question, not a request for information (价保为什么是20块 asks for the reason;
#: 怎么没有免邮券了, 怎么退, 什么时候到 ask how or when).
_INDIGNANT = regex_cache.compile(r"(?:为什么|为啥|为何)[^，。！？；,.!?;\s/]{0,6}?(?:(?<!需)要|还|又|一直|没|不|无法|查不到|未)"
                        r"|(?:怎么|咋)[^，。！？；,.!?;\s/]{0,6}?(?:又|还(?:是|在)?(?:没|不|未)|还在)"
                        r"|(?:怎么|咋)(?:还要|要收|会收|收我|多收)")


#: Damage the customer caused (我摔坏的, 不小心掉水里, 进水了): what broke is no defect of the goods
#: (the labelling guide: such a part is neutral, the repair after-sales)
_SELF_CAUSED = regex_cache.compile(r"(?:我|自己|不小心)[^，。！？,.!?；;/]{0,4}?(?:摔|掉(?:到|进|在)?(?:水里|水中|地上|地下|马桶)|压坏|踩坏|磕坏|弄坏|碰坏)"
                          r"|掉(?:到|进)?水里|掉进水|泡了水|进水了")
#: A wish for what the goods lack (价格再实惠点就好了, 要是有512M就好了, 最好有配件销售): it
#: presupposes the lack, a complaint of the thing wished better.
_WISH = regex_cache.compile(r"(?:要是|如果|若是?|假如|能有|再)[^。！？!?；;，,/]{0,16}?就(?:更|太|比较|非常)?(?:好|完美)了"
                   r"|最好(?:有|能)")
#: A colour by name (黑色, 白色的): a wish for one is a preference among the variants (色彩 is the screen's).
_COLOUR = regex_cache.compile(r"[黑白红蓝绿粉金银灰紫黄橙棕青]色|颜色")
#: A promise recalled (说好的次日达晚了一天, 明明写的是VISTA高级版, 不是说今天送达嘛): it is
#: recalled because it was broken, a complaint of what was promised.
_PROMISED = regex_cache.compile(r"说好的|说好了的|明明(?:写|说)的?(?:是)?|(?:介绍|宣传|页面|详情)上?(?:写|说)的|宣传的"
                       r"|不是说(?=[^，。！？,.!?；;/]{0,20}?[吗嘛么])")  # (不是说屏幕不好: "I don't say", no promise)
#: Words that say a thing can be done or works (可以, 正常, 最好, 没问题, 能): in a chat a state
#: reported, not praise.
_POSSIBLE = regex_cache.compile(r"可以|正常|最好|没问题|(?<![性功智体效技节动])能|来不及")  # (not the 能 of 性能, 功能)
_SENTENCE_END = regex_cache.compile(r"[。！？!?/\n]")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence holding ``text[start:end]`` (between 。！？ or a chat's turn marks)."""
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    m = _SENTENCE_END.search(text, end)
    return lo, m.start() if m else len(text)


def _clause_start(text: str, at: int, floor: int = 0) -> int:
    """Where the clause holding ``at`` starts (after the last boundary before it, not
    before ``floor``)."""
    while at > floor and not _BOUNDARY.match(text, at - 1):
        at -= 1
    return at


def _below_another(text: str, hit: tuple[str, int, int, int]) -> bool:
    """Whether a praise ``hit`` is said of another thing the goods are compared below: 不如
    before its opinion in its clause (还不如CX65来的好看), or 没有 X 好 ending the evidence, its
    term before it or not (没有TFT的屏幕好, 像素没有K750高)."""
    start, end = hit[2], hit[3]
    return "不如" in text[_clause_start(text, start):end] or _NOT_AS.search(text, start, end) is not None


def _wished(text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """The hits of a review with each one named in a wish's clause, before its 就好了 (or after
    最好有), made a complaint: 内存再大点就好了 says the memory is too small. A colour wished
    for (机壳要是黑色就更好了) is a preference among the variants, no shortfall."""
    wishes = [(m.start(), _clause_end(text, m.end())) if m.group().startswith("最好")
              else (_clause_start(text, m.start()), m.end()) for m in _WISH.finditer(text)]
    return _complained_within(hits, [(lo, hi) for lo, hi in wishes if not _COLOUR.search(text, lo, hi)])


def _promised(text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """The hits with each one named in a recalled promise's clause (说好的送货上门, 明明写的是
    高级版) made a complaint: the promise is recalled because it was not kept."""
    return _complained_within(hits, [(m.end(), _clause_end(text, m.end())) for m in _PROMISED.finditer(text)])


def _complained_within(hits: list[tuple[str, int, int, int]], spans: list[tuple[int, int]]
                       ) -> list[tuple[str, int, int, int]]:
    """The hits with each one that is not a complaint and starts in one of ``spans`` made one."""
    if not spans:
        return hits
    return [(h[0], -1, h[2], h[3]) if h[1] >= 0 and any(lo <= h[2] < hi for lo, hi in spans) else h
            for h in hits]


def _black_with_a_crash(text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """The hits without a screen complaint whose evidence is 黑屏 when the same sentence has
    a performance complaint (死机, 开不了机, 卡): the screen went black because the machine hung,
    the crash is what is reported (没用几天就黑屏开不了机了, 不是死机就是黑屏). Alone, or with
    damage (摔了一下就黑屏了), 黑屏 stays the screen's."""
    crashes = [h for h in hits if h[0] == "performance" and h[1] < 0]
    if not crashes:
        return hits
    out = []
    for h in hits:
        if h[0] == "display" and h[1] < 0 and text[h[2]:h[3]] == "黑屏":
            lo, hi = _sentence(text, h[2], h[3])
            if any(lo <= c[2] < hi for c in crashes):
                continue
        out.append(h)
    return out


#: 收到 denied with nothing after it (没收到, 还没有收到么) ...
_BARE_NOT_RECEIVED = regex_cache.compile(r"(?:还|都|也)?(?:没有?|未)收到")
#: ... said where the money or an application is what is awaited (这钱退哪里去了 / 没收到, 没有收到 微信支付,
#: 她说没有收到第二个申请): the header's 订单金额:[金额x] is no money spoken of.
_MONEY_AWAITED = regex_cache.compile(r"钱|退款|到账|支付|退到|(?<!订单)(?<!\[)金额|申请")


def _money_not_received(text: str, hit: tuple[str, int, int, int]) -> bool:
    """Whether ``hit`` is the delivery's 没收到 with no object, in a chat turn that (or whose turn
    before) speaks of money or an application: what was not received is that, not the goods."""
    if hit[0] != "logistics" or not _BARE_NOT_RECEIVED.fullmatch(text, hit[2], hit[3]):
        return False
    lo, hi = _turn(text, hit[2])
    if lo > 0:
        lo = _turn(text, max(0, lo - 4))[0]
    return _MONEY_AWAITED.search(text, lo, hi) is not None


#: What may be done, said of a party (商家可以开通吗, 还是一定要京东平台上的商家才可以?): permission asked, no judgement.
_MODAL = regex_cache.compile(r"(?:也|都|才|就|不)?(?:可以|能)")


#: Per topic, its phrases by their first character (:func:`_by_first`).
Starts = Mapping[str, Mapping[str, tuple[str, ...]]]


def _by_first(phrases: Mapping[str, frozenset[str]]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per topic, its ``phrases`` grouped by their first character, in a fixed order: what
    :func:`_phrase_ends` looks through for an evidence (a few phrases, not all of a topic's)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for topic, own in phrases.items():
        first: dict[str, list[str]] = {}
        for p in sorted(own):
            if p:
                first.setdefault(p[0], []).append(p)
        out[topic] = {c: tuple(ps) for c, ps in first.items()}
    return out


def _phrase_ends(text: str, hit: tuple[str, int, int, int], starts: Starts) -> Iterator[int]:
    """Where each of its topic's phrases (``starts``: :func:`_by_first`) that ``hit``'s evidence
    starts with ends, in ``text``."""
    own = starts.get(hit[0])
    if own is not None and hit[3] > hit[2]:
        low = text[hit[2]:hit[3]].lower()
        yield from (hit[2] + len(p) for p in own.get(low[0], ()) if low.startswith(p))


def _modal(text: str, hit: tuple[str, int, int, int], starts: Starts) -> bool:
    """Whether ``hit`` is one of its topic's phrases (``starts``) with only a modal verb attached."""
    return any(end < hit[3] and _MODAL.fullmatch(text, end, hit[3]) for end in _phrase_ends(text, hit, starts))


def _asked_and_denied(text: str, hit: tuple[str, int, int, int]) -> bool:
    """Whether ``hit`` ends a question that the next words deny or that is later taken back."""
    from voc.analysis.safety import question_denied

    end = _clause_end(text, hit[3])
    return end < len(text) and text[end] in "?？" and question_denied(text, end)


#: The delivery told in a clause next to a review's bare speed word (速度也很快,第二天就收到了货; 速度很快，头天下午的
#: 订单): the speed is the delivery's.
_DELIVERY_NEXT = regex_cache.compile(r"收到|到货|发货|送货|送到|下单|订单|物流|快递|配送")


def _delivery_speed(text: str, hit: tuple[str, int, int, int]) -> bool:
    """Whether a review's ``hit`` is a speed word alone (:data:`_SPEED_ONLY`), with no device in
    its clause and the delivery in the clause before or after it."""
    start, end = hit[2], hit[3]
    if not _SPEED_ONLY.fullmatch(text, start, end):
        return False
    lo, hi = _clause_start(text, start), _clause_end(text, end)
    if _DEVICE.search(text, lo, hi) is not None:
        return False
    before = _clause_start(text, max(0, lo - 1)) if lo > 0 else lo
    after = _clause_end(text, hi + 1) if hi < len(text) else hi
    return _DELIVERY_NEXT.search(text, before, after) is not None


#: A circumstance that dates what follows (收到货后如果需要单退一种不行吗, 收到货之后怎么弄, 从收到货开始么): a
#: time clause, which raises nothing even in a question.
_WHEN = regex_cache.compile(r"(?:之后|以后|后|的时候|时|开始|起)")


def _dated(text: str, hit: tuple[str, int, int, int], starts: Starts) -> bool:
    """Whether ``hit`` starts with one of its topic's circumstance phrases (``starts``) that dates
    what follows (收到货后可以单退一种吗: what may be said after it is said of the rest of the sentence)."""
    return any(_WHEN.match(text, end) for end in _phrase_ends(text, hit, starts))


#: A turn that asks, besides a question (_QUESTION): a request for information (想问一下, 尺寸告诉我),
#: an amount asked (多少, 多大, 几), 有没 (有没后摄像头的视频), a worry put as a question (不会…吧).
_ASKING = regex_cache.compile(r"想问|请问|问一下|问下|告诉我|咨询|确认一下|了解一下|多少|多大|多长|几|有没|不会[^/]*吧")
#: How a ticket's text joins its turns: a line each (``voc.io.tickets.customer_text``), or " / "
#: (how the JD chat corpus and the evaluation sets built from it join them).
_TURN_JOINS = ("\n", " / ")


def _asked_in_turn(text: str, at: int) -> bool:
    """Whether the chat turn holding ``at`` asks (a question, or a request for information)."""
    lo, hi = _turn(text, at)
    return _QUESTION.search(text, lo, hi) is not None or _ASKING.search(text, lo, hi) is not None


#: What follows the thing excepted by 除了 when the rest is praised (除了蓝牙其他该有的都有了, 除了价格，其它都满意),
#: or the end of an exception put in brackets after the praise (做工还不错(除了键盘)).
_THE_REST = regex_cache.compile(r"[^。！？!?；;/]{0,8}?(?:其他|其它|别的|其余|其他的|都)|(?:之外|以外|外)?[)）]")


def _excepted(text: str, hit: tuple[str, int, int, int]) -> bool:
    """Whether ``hit`` is the thing excepted right after 除了 from a praise of the rest: the
    praise is said of the rest, and the exception is what falls short."""
    return hit[2] >= 2 and text.startswith("除了", hit[2] - 2) and _THE_REST.match(text, hit[3]) is not None


def _turn(text: str, at: int) -> tuple[int, int]:
    """``(start, end)`` of the chat turn holding ``at``."""
    lo, hi = 0, len(text)
    for join in _TURN_JOINS:
        before = text.rfind(join, 0, at)
        if before >= 0 and before + len(join) > lo:
            lo = before + len(join)
        after = text.find(join, at)
        if 0 <= after < hi:
            hi = after
    return lo, hi


def _judged_in_turn(text: str, hit: tuple[str, int, int, int], hits: list[tuple[str, int, int, int]]) -> bool:
    """Whether another hit of the chat turn holding ``hit`` judges (手机系统升级以后很卡: the turn
    complains, and the part it names is the one complained of)."""
    lo, hi = _turn(text, hit[2])
    return any(h is not hit and h[1] and lo <= h[2] < hi for h in hits)


def _clause_end(text: str, at: int) -> int:
    """Where the clause holding ``at`` ends (the next boundary, or the end of the text)."""
    m = _BOUNDARY.search(text, at)
    return m.start() if m else len(text)


def _bare(text: str, hit: tuple[str, int, int, int], phrases: Mapping[str, frozenset[str]]) -> bool:
    """Whether ``hit`` is one of its topic's ``phrases`` with nothing attached: its
    evidence is the phrase itself, no opinion word taken."""
    own = phrases.get(hit[0])
    return own is not None and text[hit[2]:hit[3]].lower() in own


#: A negation before a circumstance of use says it has not happened (还没有玩游戏呢, 没打电话): no missing
#: part. (Goods not received, 没有收到货, stay the delivery's failure.)
_NOT_YET = regex_cache.compile(r"(?:还|都|也)?(?:没有|没|未|不)")
_NOT_YET_FIRSTS = frozenset("还都也没未不")


def _not_done_yet(text: str, hit: tuple[str, int, int, int], phrases: Mapping[str, frozenset[str]]) -> bool:
    """Whether ``hit``'s evidence is one of its topic's ``phrases`` negated and nothing
    else (a circumstance that did not happen: 还没有玩游戏呢 is no complaint about games)."""
    own = phrases.get(hit[0])
    if own is None:
        return False
    m = _NOT_YET.match(text, hit[2], hit[3])
    return m is not None and m.end() < hit[3] and text[m.end():hit[3]].lower() in own


def _places(low: str, phrases: Iterable[str], lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every occurrence of ``phrases`` in ``low`` (a lower-cased text)
    that starts within ``[lo, hi]`` (``hi`` None: to the end)."""
    hi = len(low) if hi is None else hi
    for phrase in phrases:
        at = low.find(phrase, max(0, lo))
        while 0 <= at <= hi:
            yield at, at + len(phrase)
            at = low.find(phrase, at + 1)


def _names(text: str, hit: tuple[str, int, int, int], phrases: Mapping[str, re.Pattern]) -> bool:
    """Whether the evidence of ``hit`` holds one of its topic's phrases (``phrases``: per topic,
    :func:`_any_of` them)."""
    own = phrases.get(hit[0])
    return own is not None and own.search(text[hit[2]:hit[3]].lower()) is not None


def _any_of(phrases: Iterable[str]) -> re.Pattern:
    """A pattern found wherever one of ``phrases`` is."""
    return regex_cache.compile("|".join(map(re.escape, sorted(phrases, key=lambda p: (-len(p), p)))))


class Senses:
    """The sense rules for one taxonomy.

    Args:
        context: per topic, the ``context`` phrases (normalised, lower case).
        located: the topics whose complaints have a place (thermal, noise).
        party: per topic, the ``party`` phrases (normalised, lower case).
        aspects: per topic, the phrases of its aspect rows (normalised, lower case).
        services: the topics that are a service (a bare 慢 right after one is its).
        complaints: per topic, the phrases of its complaint rows (normalised, lower case).
        foreign: per kind (``review``/``ticket``), per topic, the phrases of the rows limited to
            the other kind, which name nothing in this one (normalised, lower case).
    """

    def __init__(self, context: Mapping[str, Iterable[str]], located: Iterable[str],
                 party: Mapping[str, Iterable[str]] | None = None, aspects: Mapping[str, Iterable[str]] | None = None,
                 services: Iterable[str] = (), complaints: Mapping[str, Iterable[str]] | None = None,
                 foreign: Mapping[str, Mapping[str, Iterable[str]]] | None = None):
        self.context = {topic: frozenset(phrases) for topic, phrases in context.items() if phrases}
        self.located = frozenset(located)
        self.party = {topic: frozenset(phrases) for topic, phrases in (party or {}).items() if phrases}
        self.aspects = {topic: frozenset(phrases) for topic, phrases in (aspects or {}).items() if phrases}
        self.services = frozenset(services)
        self.complaints = {topic: frozenset(phrases) for topic, phrases in (complaints or {}).items() if phrases}
        self.foreign = {kind: {topic: frozenset(phrases) for topic, phrases in per.items() if phrases}
                        for kind, per in (foreign or {}).items()}
        self._complained_of = self.services | frozenset(_COMPLAINED_OF)
        self._order = self._complained_of | frozenset(_OF_THE_ORDER)
        self._watched = frozenset(self.context) | self.located | frozenset(self.party)
        self._context_starts = _by_first(self.context)
        #: per context topic, the characters a hit's evidence starts with when one of the
        #: circumstance rules can apply to it: its phrases' first, or a negation's (_NOT_YET)
        self._context_firsts = {topic: frozenset(starts) | _NOT_YET_FIRSTS
                                for topic, starts in self._context_starts.items()}
        self._party_starts = _by_first(self.party)
        self._foreign_any = {kind: {topic: _any_of(phrases) for topic, phrases in per.items()}
                             for kind, per in self.foreign.items()}
        #: per located topic, its complaint phrases, longest first (:meth:`_felt_again`)
        self._complaint_patterns = {
            topic: regex_cache.compile("|".join(map(re.escape, sorted(self.complaints[topic], key=len, reverse=True))))
            for topic in self.located if self.complaints.get(topic)}

    def __call__(self, text: str, hits: list[tuple[str, int, int, int]],
                 kind: str = "review") -> list[tuple[str, int, int, int]]:
        """The hits ``(topic, polarity, start, end)`` of ``text`` that are meant; ``kind``
        (``review`` or ``ticket``) is the genre: the party rule reads tickets only."""
        if kind == "ticket" and any(h[1] > 0 for h in hits):
            # a ticket's question asks for information: whether something is possible or
            # good praises nothing (可以退货吗, 拒收可以吗, 降价可以补吗); nor, in a chat, does what can
            # be done, works again or would be best (vga正常, 充电可以了, 最好今天送到, 价格保护还可以):
            # it reports a state to the agent (物流很快 still praises; so does the agent's 回话速度可以)
            hits = [(h[0], 0, h[2], h[3]) if h[1] > 0 and (self._question(text, h[2]) or _bare(text, h, self.aspects)
                                                           or (h[0] not in self.party
                                                               and _POSSIBLE.search(text, h[2], h[3])))
                    else h for h in hits]
        if kind == "ticket":  # the goods of a purchase are no product judged; 送 is the delivery
            hits = [h for h in hits if not ((_BOUGHT.search(text[max(0, h[2] - 8):h[2]]) and _bare(text, h, self.aspects))
                                             or _delivered_alone(text, h))]
        elif "送" in text:  # 送到镇上就不送了: in a review too, 送 alone after a delivery is the delivery's
            hits = [h for h in hits if not (_delivered_alone(text, h)
                                             and _DELIVERY_SAID.search(text, *_sentence(text, h[2], h[3])))]
        if "装" in text or "引导" in text or "刷" in text:  # 用U盘装的: the tool, not a part judged
            hits = [h for h in hits if not (_INSTRUMENT_BEFORE.search(text, max(0, h[2] - 8), h[2])
                                            and ((_INSTALLED_AFTER.match(text, h[3])
                                                  and (h[1] == 0 or _bare(text, h, self.aspects)))
                                                 or _INSTALLING.search(text, h[2] + 1, h[3])))]
        if "比" in text and len(hits) > 1:  # 外型比照片好看: the photo is what the looks are compared with
            hits = [h for h in hits if not (h[2] and text[h[2] - 1] == "比")]
        if ("不如" in text or "没" in text) and any(h[1] > 0 for h in hits):  # 不如CX65好看: below another
            hits = [(h[0], -1, h[2], h[3]) if h[1] > 0 and _below_another(text, h) else h for h in hits]
        if (("摔" in text or "掉" in text or "坏" in text or "水" in text)  # (what _SELF_CAUSED needs)
                and any(h[1] < 0 for h in hits) and _SELF_CAUSED.search(text)):  # 掉水里屏坏了: the customer broke it
            # (said in the sentence of a review, anywhere in a chat: 屏幕碎了 / … / 是我摔坏的)
            hits = [(h[0], 0, h[2], h[3]) if h[1] < 0 and h[0] not in self._complained_of
                    and (kind == "ticket" or _SELF_CAUSED.search(text, *_sentence(text, h[2], h[3]))) else h
                    for h in hits]
        if self.complaints and ("没" in text or "未" in text or "不存在" in text) and any(h[1] < 0 for h in hits):
            hits = [self._denied(text, h) if h[1] < 0 else h for h in hits]  # 坏点没有: the defect denied
        if ("?" in text or "？" in text) and any(h[1] < 0 for h in hits):
            # 电池鼓包了？没有，是我看错了: a complaint asked about and denied is no complaint, as no hazard
            hits = [(h[0], 0, h[2], h[3]) if h[1] < 0 and _asked_and_denied(text, h) else h for h in hits]
        if kind == "review" and (("就" in text and "了" in text) or "最好" in text) and any(h[1] >= 0 for h in hits):
            hits = _wished(text, hits)
        if ("说" in text or "写" in text or "宣传" in text) and any(h[1] >= 0 for h in hits):
            hits = _promised(text, hits)
        if "除了" in text and any(h[1] > 0 for h in hits):  # 除了蓝牙其他该有的都有了: the exception is what lacks
            hits = [(h[0], -1, h[2], h[3]) if h[1] > 0 and _excepted(text, h) and _bare(text, h, self.aspects) else h
                    for h in hits]
        if "黑屏" in text and len(hits) > 1:  # 不是死机就是黑屏: the screen gone black with a crash is the crash
            hits = _black_with_a_crash(text, hits)
        if (kind == "review" and "速度" in text and _DELIVERY_NEXT.search(text) is not None
                and any(h[0] == "performance" for h in hits)):  # 速度也很快,第二天就收到了货: the delivery's speed
            hits = self._speed_to_delivery(text, hits)
        if self.services and len(hits) > 1 and "慢" in text:  # 物流没更新，太慢了: the slowness is the delivery's
            hits = self._slow_service(text, hits)
        if kind == "ticket":  # speed is the service's, 后台 the back office, unless the device is named
            hits = [h for h in hits if not self._service_speed(text, h)]
            if len(hits) > 1 and _PRICE_PROTECTION.search(text):  # 申请价保 / 能退我30块吗: the difference
                hits = [h for h in hits if not (h[0] == "after_sales" and h[1] >= 0
                                                and text[h[2]:h[3]] in _BARE_REFUNDS)]
            if len(hits) > 1 and "更新" in text:  # 物流信息 / 还没更新啊: the tracking, not the software
                hits = self._tracking_update(text, hits)
            if "收到" in text:  # 这钱退哪里去了 / 没收到: the money not received, not the goods
                hits = [h for h in hits if not _money_not_received(text, h)]
            if hits:  # 为什么还没送来; 这么久 after the delivery named (好叫他今天送到 / 都已经四天了 too); 没用券
                hits = self._complained(text, hits)
        if kind == "ticket" and any(h[0] not in self._order for h in hits):
            # a part of the goods named bare in a turn that neither asks nor judges (我随硬盘寄来了硬盘盒,
            # 在app里没有这张单的发票) is what the order is about, not a topic raised
            hits = [h for h in hits if h[0] in self._order or not _bare(text, h, self.aspects)
                    or (_asked_in_turn(text, h[2]) and not self._order_in_turn(text, h, hits))
                    or _judged_in_turn(text, h, hits)]
        foreign = self._foreign_any.get(kind)
        if foreign and any(h[0] in foreign for h in hits):  # a row of the other genre (不会给你好评 too)
            hits = [h for h in hits if not _names(text, h, foreign)]
        watched = self._watched
        for hit in hits:
            if hit[0] in watched:
                break
        else:
            return hits  # most texts: no topic a rule is about
        if self.party and kind == "ticket":  # naming the agent or seller one talks to is not judging them
            hits = [h for h in hits if not (_bare(text, h, self.party) or _modal(text, h, self._party_starts))]
        context = self.context
        if context:  # a circumstance in passing, or not yet done (还没有玩游戏呢); in a question it raises its topic
            firsts = self._context_firsts
            hits = [h if h[0] not in context or text[h[2]].lower()[0] not in firsts[h[0]]
                    or not ((_bare(text, h, context) and not self._question(text, h[2]))
                            or _dated(text, h, self._context_starts)
                            or (h[0] not in self._complained_of and _not_done_yet(text, h, context)))
                    else self._named_otherwise(text, h) for h in hits]
            hits = [h for h in hits if h is not None]
        if self.located and len(hits) > 1:
            symptoms = [h for h in hits if h[0] in self.located and h[1] < 0]
            if symptoms:
                symptoms += self._felt_again(text, symptoms)
                placed = {h: s for h in hits for s in symptoms
                          if 0 < s[2] - h[2] <= PLACE_SPAN and self._place_of(text, h, s)}
                if placed:  # dropped, or its own fault, said up to the symptom (充电器很烫)
                    hits = [h if h not in placed else (h[0], -1, h[2], max(h[3], placed[h][3])) for h in hits
                            if h not in placed or h[0] in _OWN_SYMPTOM]
        return hits

    @staticmethod
    def _speed_to_delivery(text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
        """A review's hits with each bare speed word told next to the delivery (:func:`_delivery_speed`)
        given to the delivery, unless the delivery is named already."""
        out = []
        named = any(h[0] == "logistics" for h in hits)
        for h in hits:
            if h[0] == "performance" and _delivery_speed(text, h):
                if named:
                    continue
                h, named = ("logistics", h[1], h[2], h[3]), True
            out.append(h)
        return out

    def _order_in_turn(self, text: str, hit: tuple[str, int, int, int], hits: list[tuple[str, int, int, int]]) -> bool:
        """Whether the chat turn holding ``hit`` names the order (its delivery, price, after-sales):
        a question there is about the order, of which the part is the object (这款硬盘上保修写五年 请问…,
        这款显示器发货地是贵阳么)."""
        lo, hi = _turn(text, hit[2])
        return any(h[0] in self._order and lo <= h[2] < hi for h in hits)

    def _denied(self, text: str, hit: tuple[str, int, int, int]) -> tuple[str, int, int, int]:
        """``hit`` as a praise when it is a complaint phrase denied right after it."""
        topic, pol, start, end = hit
        if not _DENIED_AFTER.match(text, end):
            return hit
        own = self.complaints.get(topic)
        evidence = text[start:end].lower()
        if own is None or (evidence not in own and _KIND_OF_TROUBLE.sub("", evidence) not in own):
            return hit
        return (topic, 1, start, end)

    @staticmethod
    def _service_speed(text: str, hit: tuple[str, int, int, int]) -> bool:
        """Whether a ticket's ``hit`` is a speed word with no device in its clause, or the
        platform: its back office, or its system, app and messages named bare (see the
        module's rules)."""
        start = hit[2]
        if _BACKGROUND.match(text, start):
            return True
        platform = _PLATFORM_OF.get(hit[0])
        if (platform is not None and platform.fullmatch(text, start, hit[3])
                and _OWN_DEVICE.search(text, *_turn(text, start)) is None):
            return True
        if not _SPEED_ONLY.fullmatch(text, start, hit[3]):
            return False
        return _DEVICE.search(text, _clause_start(text, start), start) is None

    def _slow_service(self, text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
        """The hits with each bare, subjectless 慢 right after a clause about a service
        given to that service (see the module's rules)."""
        out: list[tuple[str, int, int, int]] = []
        for hit in hits:
            if out and text[hit[2]:hit[3]] == "慢" and out[-1][0] in self.services and out[-1][0] != hit[0]:
                before = out[-1]
                start = _clause_start(text, hit[2], before[3])
                # the clause of 慢 holds no subject, and the service is in the clause just before
                if (start > before[3] and _SUBJECTLESS.fullmatch(text, start, hit[2])
                        and len(_BOUNDARY.findall(text, before[3], start)) <= 2):
                    if before[1] == 0:
                        out[-1] = (before[0], -1, before[2], before[3])
                    continue
            out.append(hit)
        return out

    def _named_otherwise(self, text: str, hit: tuple[str, int, int, int]) -> tuple[str, int, int, int] | None:
        """A circumstance ``hit`` (dropped: None) re-pointed to another naming of its topic
        in ``text``, an aspect phrase outside any of its circumstance phrases (物流显示已签收: the
        circumstance 签收 was the evidence, 物流 names the delivery), else one of its circumstances
        asked about elsewhere, not dating what follows (…明天到货吗 / … 收货后可以更改吗)."""
        topic = hit[0]
        low = text.lower()
        around = list(_places(low, self.context[topic]))
        # the first naming in the text, the longest at its place (快递员, not the 快递 in it): the
        # phrases are a set, whose order changes from run to run, so the choice must not follow it
        found = [(at, at - end) for at, end in _places(low, self.aspects.get(topic, ()))
                 if not any(at < e and s < end for s, e in around)]
        if not found:  # else a circumstance asked about elsewhere, undated (这个订单可以明天到货吗)
            found = [(at, at - end) for at, end in around
                     if not hit[2] <= at < hit[3] and not _WHEN.match(text, end) and self._question(text, at)]
        if not found:
            return None
        at, neg_len = min(found)
        return (topic, hit[1], at, at - neg_len)

    @staticmethod
    def _tracking_update(text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
        """A ticket's hits with a bare software update given to the delivery it names (see the
        module's rules): dropped, and, denied, making a neutral delivery a complaint."""
        if not any(h[0] == "logistics" for h in hits):
            return hits
        out, denied = [], False
        for topic, pol, start, end in hits:
            if (topic == "software" and _UPDATE_ONLY.fullmatch(text, start, end)
                    and not _SOFTWARE_WORDS.search(text, _clause_start(text, start), _clause_end(text, end))
                    and not _DEVICE.search(text, _clause_start(text, start), start)):
                denied |= pol < 0
                continue
            out.append((topic, pol, start, end))
        if denied:
            out = [(t, -1, s, e) if t == "logistics" and p == 0 else (t, p, s, e) for t, p, s, e in out]
        return out

    def _complained(self, text: str, hits: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
        """A ticket's hits read as a conversation (see the module's rules): a complaint about
        what the customer did not do, or about goods later found, is none; a neutral one a
        complaint is said of becomes one (an indignant why-question in its clause, a
        subjectless delay or outright complaint said of the nearest service or price)."""
        out = list(hits)
        premise = None  # computed on first need: whether a not-yet state is a request's premise
        for i, (topic, pol, start, end) in enumerate(out):
            if pol < 0 and (_NOT_DONE.match(text, start)
                            or (_NOT_RECEIVED.search(text, start, end) and _FOUND_AFTER_ALL.search(text, end))):
                out[i] = (topic, 0, start, end)
            elif pol < 0 and topic == "logistics" and _UNDELIVERED.fullmatch(text, start, end):
                if premise is None:
                    premise = (_STOP_OR_CHANGE.search(text) is not None and _URGED.search(text) is None
                               and _INDIGNANT.search(text) is None and _DELAY.search(text) is None
                               and _OUTRIGHT.search(text) is None)
                if premise:
                    out[i] = (topic, 0, start, end)
        # an indignant question complains of what its clause names (the evidence, or another
        # naming of the topic there: 为什么还没给我配送 when the evidence is a later 有货)
        low = None
        for m in _INDIGNANT.finditer(text):
            lo, hi = _clause_start(text, m.start()), _clause_end(text, m.end())
            for i, (topic, pol, start, end) in enumerate(out):
                if pol < 0:
                    continue
                if not (start < hi and end > lo):  # the evidence is elsewhere: another naming in the clause?
                    low = text.lower() if low is None else low
                    if next(_places(low, self.aspects.get(topic, ()), lo, hi - 1), None) is None:
                        continue
                out[i] = (topic, -1, start, end)
        if self.services:
            # a delay is a service's; an outright complaint may be the price's too. Either
            # outweighs what was said in passing (好叫他今天送到 / 都已经四天了)
            said = [(m.start(), self.services) for m in _DELAY.finditer(text)]
            said += [(m.start(), self._complained_of) for m in _OUTRIGHT.finditer(text)]
            for at, of in said:
                i = self._said_of(text, out, at, of)
                if i is not None and out[i][1] >= 0:
                    topic, _, start, end = out[i]
                    out[i] = (topic, -1, start, end)
        return out

    def _said_of(self, text: str, hits: list[tuple[str, int, int, int]], at: int, of: frozenset[str]) -> int | None:
        """The index of the hit among topics ``of`` that a subjectless complaint at ``at`` is
        said of: the one named last before it (the subject a clause leaves out is the one
        before it), else the one named first after it, within :data:`DELAY_REACH`. A topic's
        namings are its evidence and its aspect phrases anywhere in the text (降价了，/ 这个悲催了
        is said of the price even when its evidence is an earlier 价格保护)."""
        before = after = None
        low = text.lower()
        for i, (topic, _, start, _) in enumerate(hits):
            if topic not in of:
                continue
            names = [start, *(n for n, _ in _places(low, self.aspects.get(topic, ()), at - DELAY_REACH,
                                                    at + DELAY_REACH))]
            for n in names:
                if at - DELAY_REACH <= n < at and (before is None or n > before[0]):
                    before = (n, i)
                elif at <= n <= at + DELAY_REACH and (after is None or n < after[0]):
                    after = (n, i)
        chosen = before or after
        return chosen[1] if chosen else None

    @staticmethod
    def _question(text: str, at: int) -> bool:
        """Whether the clause around ``at`` is a question."""
        start = _clause_start(text, at)
        end = at
        while end < len(text) and not _BOUNDARY.match(text, end):
            end += 1
        if end < len(text) and text[end] in "?？":
            return True
        return _QUESTION.search(text, start, end) is not None

    def _felt_again(self, text: str, symptoms: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
        """The other places a complained-of symptom is named in ``text`` (产热量大，触摸板那里都有点热:
        the topic's hit is its first complaint, the touchpad is where the second is felt):
        its complaint phrases, not negated (不热), as ``(topic, -1, start, end)``."""
        more = []
        for topic, _, start, _ in symptoms:
            pattern = self._complaint_patterns.get(topic)
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                if m.start() != start and not (m.start() and text[m.start() - 1] in _NEGATORS):
                    more.append((topic, -1, m.start(), m.end()))
        return more

    def _place_of(self, text: str, hit: tuple[str, int, int, int], symptom: tuple[str, int, int, int]) -> bool:
        """Whether ``hit`` is where (or while) ``symptom`` is felt, in the same clause."""
        topic, pol, start, end = hit
        s_start = symptom[2]
        if topic == symptom[0] or not 0 < s_start - start <= PLACE_SPAN:
            return False
        if _BOUNDARY.search(text, start, s_start):
            return False
        if end > s_start:  # its opinion was taken across the symptom (键盘烫得厉害)
            return True
        # a bare part right before it (机身烫, 外壳很烫), neutral or with only the polarity it
        # borrowed from the review (its evidence is the part's name alone: no opinion of its
        # own)
        return (pol == 0 or _bare(text, hit, self.aspects)) and (
            s_start - end <= PLACE_GAP or _PLACE_WORDS.fullmatch(text, end, s_start) is not None)
