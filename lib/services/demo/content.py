"""The demo marketplace's content: categories, people and ideas across every status."""

from __future__ import annotations

DEMO_PASSWORD = "cocreate-demo"  # noqa: S105 - shown on the sign-in page in demo mode
DEMO_DOMAIN = "demo.cocreate.test"

# (slug, English name, Korean name, support threshold for the demo)
CATEGORIES = [
    ("home", "Home & Living", "홈·리빙", 30),
    ("kitchen", "Kitchen", "주방", 30),
    ("outdoor", "Outdoor", "아웃도어", 25),
    ("tech", "Tech Accessories", "테크 액세서리", 35),
    ("wellness", "Wellness", "웰니스", 25),
]

# (handle, display name, roles)
STAFF = [
    ("admin", "Ada Admin", ("consumer", "moderator", "admin")),
    ("moderator", "Mo Moderator", ("consumer", "moderator")),
    ("maker", "Mira Works (maker)", ("consumer", "maker")),
    ("maker2", "Hanul Studio (maker)", ("consumer", "maker")),
    ("consumer", "Casey Consumer", ("consumer",)),
]
COMMUNITY = [
    "Jiwoo", "Alex", "Sam", "Minseo", "Taylor", "Haneul", "Jordan", "Yuna", "Riley", "Doyun",
    "Morgan", "Seoyeon", "Avery", "Jun", "Quinn", "Hayun", "Rowan", "Eunji", "Parker", "Siwoo",
    "Skyler", "Chaeyoung", "Reese", "Minjun", "Emerson", "Dahye", "Finley", "Geon", "Harper", "Inho",
    "Kendall", "Jisoo", "Logan", "Nari", "Oakley", "Sora", "Peyton", "Tae", "Sage", "Bora",
]

# (title, pitch, category, status, supporters, author handle, description)
IDEAS: list[tuple[str, str, str, str, int, str, str]] = [
    ("Stackable herb planter with self-watering wick", "Grow basil on a windowsill without remembering to water it.", "home", "published", 12, "consumer",
     "## The problem\nHerbs on a windowsill die because we forget them.\n\n## The idea\nThree **stackable** pots that share one reservoir; a cotton wick feeds each level.\n\n- fits a 20 cm sill\n- dishwasher-safe liners"),
    ("Magnetic cable organiser for desks", "Cables snap into place under the desk edge and stay there.", "tech", "published", 27, "Jiwoo",
     "A strip of soft silicone with hidden magnets. Clip it to the desk edge; cables click in and out with one hand."),
    ("Collapsible pour-over coffee dripper", "A silicone dripper that folds flat for travel.", "kitchen", "published", 21, "Alex",
     "Folds to 1.5 cm, takes standard #2 filters, and the stand fits mugs from 6 to 10 cm."),
    ("Quiet mechanical keyboard case for laptops", "Type on a real keyboard in the library without annoying anyone.", "tech", "published", 5, "Sam",
     "A dampened case that turns any 65% board into a quiet one. Foam layers are replaceable."),
    ("Foldable camping stool with storage pouch", "Sits like a chair, packs like a water bottle.", "outdoor", "published", 24, "Minseo",
     "Aluminium legs, a canvas seat and a zip pouch under it for a headlamp and a phone."),
    ("Ceramic rice cooker inner pot", "Cook rice without a non-stick coating.", "kitchen", "published", 9, "Haneul",
     "A glazed ceramic inner pot sized for the most common 6-cup cookers."),
    ("Desk lamp with a real sunrise alarm", "Wake up to light, not noise.", "home", "published", 2, "Taylor",
     "A warm-to-cool LED lamp that ramps up over 30 minutes before your alarm."),
    ("Reusable silicone food wrap set", "Stretches over bowls; no plastic film.", "kitchen", "published", 18, "Yuna",
     "Six sizes, oven safe to 200 °C, and a ridge that seals on glass and metal."),
    ("휴대용 손목 마사지기", "하루 종일 키보드를 쓰는 손목을 위한 작은 마사지기.", "wellness", "published", 14, "Doyun",
     "따뜻한 열과 부드러운 진동으로 **손목 터널**의 피로를 풀어 줍니다.\n\n- USB-C 충전\n- 15분 자동 꺼짐"),
    ("Trail running soft flask holster", "A chest holster that keeps a soft flask from bouncing.", "outdoor", "published", 7, "Riley",
     "Elastic mesh, one-hand refill, fits 250 and 500 ml soft flasks."),
    ("Under-shelf spice rack that slides out", "Find the cumin without emptying the cupboard.", "kitchen", "winning", 31, "Jordan",
     "A rail that mounts under an existing shelf; the jars hang from their lids and slide out in a row."),
    ("Modular wall-mounted bike hook", "Hang two bikes in the hallway without drilling twice.", "outdoor", "winning", 26, "Morgan",
     "One rail, hooks that slide along it. Rubber-coated so the rims are never scratched."),
    ("Glow-in-the-dark light switch cover", "Find the switch at night without a phone torch.", "home", "winning", 33, "Seoyeon",
     "A clip-on cover with a photoluminescent ring that glows for eight hours."),
    ("Anti-fog shower mirror with phone shelf", "Shave in the shower and keep your phone dry.", "home", "expired", 8, "Avery",
     "A heated mirror that runs off a small battery; a shelf with a splash guard."),
    ("Bluetooth meat thermometer with two probes", "Two probes, one app, no wires.", "kitchen", "expired", 11, "Jun",
     "Probes for the meat and the grill, with alerts when either reaches its target."),
    ("Weighted sleep mask", "Gentle pressure that helps you fall asleep faster.", "wellness", "campaign", 29, "Quinn",
     "Glass beads in quilted pockets, 400 g spread evenly; a washable cover."),
    ("Pocket-size laptop stand", "Raises a laptop 12 cm and folds to the size of a phone.", "tech", "campaign", 40, "Hayun",
     "Aluminium scissor legs; three heights; weighs 180 g."),
    ("Insulated lunch jar with built-in spoon", "Soup at noon, still hot.", "kitchen", "campaign", 32, "Rowan",
     "A vacuum jar that keeps soup above 60 °C for six hours; the spoon lives in the lid."),
    ("Self-cooling pet mat", "A gel mat that stays cool without a fridge or a plug.", "home", "campaign_failed", 30, "Eunji",
     "Pressure-activated gel, scratch-resistant cover, folds for travel."),
    ("Sand-free beach blanket", "Shake it once and the sand falls through.", "outdoor", "funded", 28, "Parker",
     "Two-layer mesh that lets sand fall through one way only."),
    ("Balance board for standing desks", "Keep moving while you work.", "wellness", "in_production", 27, "Siwoo",
     "A rocker board with a cork top and a rubber base that will not scratch floors."),
    ("Bamboo drawer dividers that expand", "Fit any drawer, no tools.", "home", "fulfilled", 34, "Skyler",
     "Spring-loaded bamboo dividers that expand from 32 to 56 cm."),
    ("Leak-proof travel toiletry bottles", "Squeeze bottles that never leak in a bag.", "outdoor", "listed", 36, "Chaeyoung",
     "Silicone bottles with a valve cap; three sizes that fit airport limits."),
    ("Cold brew pitcher with a fine mesh core", "Smooth cold brew in 12 hours, no paper filters.", "kitchen", "listed", 38, "Reese",
     "A 1.5 l glass pitcher with a removable stainless core; fits a fridge door."),
    ("Smart plant pot that tells you when to water", "An LED on the rim turns amber when the soil is dry.", "home", "pending_review", 0, "Minjun",
     "A capacitive moisture sensor in the pot wall; a coin battery lasts a year."),
    ("Cable-free wireless charging desk mat", "A felt desk mat with charging built in.", "tech", "pending_review", 0, "Emerson",
     "Qi charging anywhere on the right third of a large felt mat."),
    ("접이식 실리콘 도시락통", "가방 속 공간을 아끼는 접이식 도시락통.", "kitchen", "pending_review", 0, "Dahye",
     "사용 후 접으면 높이가 2 cm가 됩니다. 전자레인지와 식기세척기에 쓸 수 있습니다."),
    ("Universal remote holder for sofa arms", "Never lose the remote in the sofa again.", "home", "changes_requested", 0, "Finley",
     "A weighted saddle that drapes over any sofa arm with pockets for two remotes."),
    ("Laser pointer for cats with auto mode", "Plays with your cat while you work.", "home", "rejected", 0, "Geon",
     "A laser toy that moves in random patterns for 15 minutes."),
    ("Heated ice cream scoop", "Scoops straight from the freezer.", "kitchen", "withdrawn", 3, "Harper",
     "A scoop with a heat-conducting fluid in the handle."),
    ("Rain cover for strollers that packs into itself", "Pull it out, zip it on, stay dry.", "outdoor", "draft", 0, "consumer",
     "Draft: measure the three most common stroller frames first."),
    ("Noise-masking earplugs for sleeping", "Soft earplugs with a tiny white-noise speaker.", "wellness", "draft", 0, "Inho",
     "Still thinking about battery life."),
    # Added at the end: the seed places ideas by their index, so the ones above keep their dates and makers.
    ("반려견 산책용 휴대 물병", "한 손으로 물을 따르고 남은 물은 다시 병으로.", "outdoor", "winning", 27, "Nari",
     "산책 중에 강아지가 **바로 마실 수 있는** 접이식 그릇이 달린 물병입니다.\n\n- 500 ml\n- 한 손 버튼으로 열고 닫기\n- 식기세척기 사용 가능"),
    ("Linen apron with a towel loop", "A heavy linen apron with a loop that keeps the tea towel at hand.", "kitchen", "in_production", 31, "Sora",
     "Stonewashed linen, a cross-back that never pulls on the neck, two deep pockets and a cotton loop at the hip for a towel."),
    ("원목 모니터 받침대", "서랍이 달린 원목 받침대로 책상 위를 넓게.", "tech", "listed", 37, "Bora",
     "국산 자작나무 합판으로 만든 모니터 받침대입니다. 높이 10 cm, 폭 60 cm.\n\n- 키보드가 쏙 들어가는 아래 공간\n- 펜과 케이블을 넣는 얕은 서랍"),
    ("캠핑용 접이식 랜턴", "접으면 손바닥만 해지는 따뜻한 빛의 랜턴.", "outdoor", "campaign", 26, "Tae",
     "실리콘 주름관을 펴면 랜턴, 접으면 3 cm 두께가 됩니다. 밝기 3단계, USB-C 충전으로 12시간."),
    ("Pill organiser with a weekly light", "A seven-day box whose lid lights up when today's pills are still in it.", "wellness", "published", 9, "Sage",
     "Seven compartments, a small light sensor per lid and a coin battery; no app, no account."),
]

COMMENTS = [
    "I would buy this today. Any idea of the price?",
    "Could it come in a darker colour?",
    "Love it. Please make the parts replaceable.",
    "How does it compare to the ones already on the market?",
    "이거 정말 필요했어요! 색상이 여러 가지면 좋겠어요.",
    "Count me in for two.",
]
# What people say under the ideas written in Korean.
COMMENTS_KO = [
    "출시되면 바로 살게요. 가격은 어느 정도 생각하세요?",
    "색상이 두세 가지 있으면 좋겠어요.",
    "부품을 따로 살 수 있으면 오래 쓸 것 같아요.",
    "선물용으로 두 개 주문하고 싶어요!",
]

# Moderators' reason templates (editable in the app).
REASON_TEMPLATES = [
    ("Duplicate", "A very similar idea already exists. Please support that one, or explain what is different."),
    ("Not a product", "Cocreate is for products that can be made and sold. This reads as a service or an event."),
    ("Unsafe", "This product could hurt people or animals, so we cannot accept it."),
    ("Needs detail", "Please add what it is made of, its size, and who it is for."),
]
