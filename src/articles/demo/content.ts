/**
 * Demo publication seeded on first start: "The Meridian Dispatch", a fictional
 * reader-funded newsroom in exile covering the fictional country of Varenia.
 *
 * All people, places, organisations and events here are invented.
 */

export interface DemoSection {
  slug: string;
  name: string;
  description: string;
}

export interface DemoAuthor {
  slug: string;
  name: string;
  role: string;
  bio: string;
  /** two hex colours for a generated portrait */
  palette: [string, string];
}

export interface DemoImage {
  alt: string;
  caption: string;
  credit: string;
  /** background gradient colours */
  palette: [string, string];
  motif: 'skyline' | 'waves' | 'grid' | 'circles' | 'mountains' | 'bars';
}

export interface DemoArticle {
  slug: string;
  headline: string;
  standfirst: string;
  /** Markdown: several paragraphs, at least one blockquote (> ...) quoting a (fictional) person, optionally a subheading (##) and a list */
  body: string;
  section: string; // a DemoSection slug
  tags: string[]; // human tag names, e.g. "Press freedom"; 2-4 per article
  authors: string[]; // DemoAuthor slugs (1 or 2)
  image: DemoImage;
  /** how long ago it was published, in hours (spread over ~3 weeks, all distinct) */
  publishedHoursAgo: number;
  /** optional: hours ago it was last updated (less than publishedHoursAgo) */
  updatedHoursAgo?: number;
}

export const demoPublication: {
  name: string;
  tagline: string;
  language: string;
  timeZone: string;
  description: string;
} = {
  name: 'The Meridian Dispatch',
  tagline: 'Independent reporting on Varenia. Blocked at home, read everywhere.',
  language: 'en',
  timeZone: 'Europe/Riga',
  description:
    'The Meridian Dispatch is an independent, reader-funded newsroom covering Varenia. Founded in Castrova in 2016 and forced into exile after the government declared it an "undesirable organisation", it now publishes from abroad and is read inside the country through mirrors, newsletters and encrypted channels. This is a demo publication: all people, places and events on this site are fictional.',
};

export const demoSections: DemoSection[] = [
  {
    slug: 'news',
    name: 'News',
    description:
      'Verified reporting on what is happening in Varenia today, from our correspondents and sources across the country.',
  },
  {
    slug: 'analysis',
    name: 'Analysis',
    description: 'Context and explanation: what the numbers, laws and decisions behind the headlines really mean.',
  },
  {
    slug: 'features',
    name: 'Features',
    description: 'Longer stories about the people and places of Varenia, and about how we report on them from exile.',
  },
  {
    slug: 'opinion',
    name: 'Opinion',
    description:
      'Arguments and commentary from our editors and writers. Opinion pieces reflect the views of their authors.',
  },
];

export const demoAuthors: DemoAuthor[] = [
  {
    slug: 'tomas-arendt',
    name: 'Tomas Arendt',
    role: 'Editor-in-chief',
    bio: 'Tomas Arendt founded The Meridian Dispatch in Castrova in 2016, after more than a decade as a court reporter and news editor. He has led the newsroom through its move into exile and writes about press freedom, the regions and the craft of independent journalism.',
    palette: ['#1b263b', '#c8553d'],
  },
  {
    slug: 'nadia-sorel',
    name: 'Nadia Sorel',
    role: 'Investigations editor',
    bio: "Nadia Sorel leads the Dispatch's investigations team, specialising in public procurement, corporate ownership and the courts. Before turning to journalism she practised as a lawyer in Castrova, an experience she now applies to reading the laws that govern Varenia's media.",
    palette: ['#3d2c5e', '#e0a458'],
  },
  {
    slug: 'emil-kastrin',
    name: 'Emil Kastrin',
    role: 'Economics correspondent',
    bio: "Emil Kastrin covers Varenia's economy, energy and public finances. He spent six years as an analyst at a commercial bank in Castrova and is most at home with a spreadsheet of central bank auction data.",
    palette: ['#1f4e5f', '#7fc8a9'],
  },
  {
    slug: 'leona-vasko',
    name: 'Leona Vasko',
    role: 'Regions correspondent',
    bio: "Leona Vasko reports on Varenia's regions, labour and elections, working with a network of sources from Dravik to the southern plains. She grew up in Dravik, where her father worked at the steel combine for thirty years.",
    palette: ['#6a2c3e', '#f2b880'],
  },
  {
    slug: 'ilse-marang',
    name: 'Ilse Marang',
    role: 'Visuals editor',
    bio: "Ilse Marang is a photographer and the Dispatch's visuals editor. She has documented life along the Selvara river for twenty years and now leads the newsroom's verification desk, which checks photos and videos sent from inside Varenia.",
    palette: ['#264653', '#e9c46a'],
  },
];

export const demoArticles: DemoArticle[] = [
  {
    slug: 'supreme-court-upholds-foreign-agent-label-water-watch',
    headline: 'Supreme Court upholds "foreign agent" label for Selvara Water Watch',
    standfirst:
      "The ruling ends a two-year legal fight by the environmental group, which monitored pollution along Varenia's longest river. Its director says the work will continue.",
    section: 'news',
    tags: ['Courts', 'Civil society', 'Environment'],
    authors: ['nadia-sorel'],
    publishedHoursAgo: 6,
    updatedHoursAgo: 3,
    image: {
      alt: 'Illustration: concentric rings spreading across a muted grey-green surface',
      caption: "Ripples on the Selvara river near Brennik, where the group's volunteers took their monthly samples.",
      credit: 'Handout / Selvara Water Watch',
      palette: ['#283845', '#b8b08d'],
      motif: 'circles',
    },
    body: `Varenia's Supreme Court on Thursday rejected a final appeal by Selvara Water Watch against its designation as a "foreign agent," upholding a decision that has already forced the environmental group to close its office in the river town of Brennik and cut most of its staff.

The three-judge panel ruled that the group's receipt of a small grant from a European environmental foundation in 2021 was sufficient grounds for its inclusion in the Ministry of Justice's register of "organisations acting in foreign interests." The judgement, read aloud in less than ten minutes, did not address the group's argument that its work, testing water quality along the Selvara river, was scientific rather than political.

Organisations on the register must mark every publication, including social media posts, with a 24-word disclaimer, submit quarterly audits and accept unannounced inspections. Failure to comply can lead to fines and, after repeated violations, criminal charges against their directors.

> "We measured nitrates and heavy metals and published the numbers. That is what they have decided is foreign interference," said Katya Morell, the group's director, speaking to The Meridian Dispatch after the hearing. "We will keep measuring. The river does not care which register we are on."

## Two years of litigation

Selvara Water Watch was founded in 2014 by a group of teachers and chemists in Brennik, downstream from the Vellmar Dam and the fertiliser plant built alongside it. For nearly a decade it published monthly readings taken by volunteers at 23 sampling points, data that regional authorities occasionally cited in their own reports.

The group was added to the register in 2022, weeks after it published findings showing elevated levels of cadmium near the plant's discharge channel. The plant's operator disputed the findings at the time; the regional environment inspectorate never published its own measurements.

Lower courts rejected the group's challenges in 2023 and again earlier this year. Lawyers for the group said they would now take the case to an international human rights body, though Varenia has ignored several such rulings in the past.

## A growing list

The Ministry of Justice's register now contains 212 organisations and individuals, according to a count by the Dispatch, up from 74 three years ago. They include independent media, election monitors, human rights groups, two historical societies and a choir that toured abroad with support from a foreign cultural institute.

Legal experts say the Water Watch ruling sets a precedent that will make it harder for other groups to challenge their designation.

> "The court has confirmed that any foreign money, however small, is enough," said Pavel Dranov, a constitutional lawyer who has represented several listed organisations. "The question of what the organisation actually does is now irrelevant."

Morell said the group's remaining volunteers would continue to take samples and would publish the results through partners abroad. Its latest readings, collected last month, will appear on its website next week, with the required disclaimer.

*This article was updated with comments from Pavel Dranov.*`,
  },
  {
    slug: 'a-letter-from-dravik',
    headline: 'A letter from Dravik, and what it taught our newsroom',
    standfirst:
      'A retired crane operator wrote to tell us we had got something wrong. He was right, and the way he told us changed how we work.',
    section: 'opinion',
    tags: ['Exile', 'Labour', 'Civil society'],
    authors: ['tomas-arendt'],
    publishedHoursAgo: 19,
    image: {
      alt: 'Illustration: layered dark hills beneath a pale sun and a rose-coloured sky',
      caption: 'Slag heaps on the edge of Dravik, seen from the road to the northern housing estates.',
      credit: 'Archive / Varenia Free Press',
      palette: ['#3d405b', '#e07a5f'],
      motif: 'mountains',
    },
    body: `The letter arrived in our inbox in the first week of our exile, at a time when most of our attention was on practical things: visas, laptops, whether our servers would survive the next attack. It was written by a retired crane operator from Dravik, and it began, politely, by telling us that we had made a mistake.

We had published a short piece about pension payments in the northern regions, based on official statistics and interviews with two economists. The figures were accurate. But, he wrote, they described a world he did not recognise.

> "You say pensions in Dravik were raised by 8 per cent this year. On paper, yes. But you do not mention that the heating bill for my flat rose by 30 per cent, that the bus to the clinic was cancelled, and that the pharmacy no longer stocks my wife's medicine. Your numbers are correct. Your story is wrong."

He signed his name and added his home address, something we gently asked him never to do again.

## Listening differently

I have been a journalist for twenty-two years, and I have received many angry letters. This one was not angry. It was patient, specific and, on reflection, right. We had reported what the statistics said, not what life was like for the people they were meant to describe. From abroad, that risk is greater than ever. When you can no longer take a bus to Dravik, it is tempting to let spreadsheets do the travelling.

We wrote back, thanked him and asked whether he would be willing to tell us more. Over the following months, he became one of dozens of readers who now help us understand what our reporting misses. We call them, without much imagination, our readers' panel. They include a nurse in Lenholm, a farmer in the south, two students in Castrova and a schoolteacher in Brennik. None of them is paid. All of them are anonymous, even to most of our staff.

## What changed

Their influence is visible in our pages, if you know where to look:

- Our economic reporting now pairs official data with the prices people actually pay, collected each month by panel members in five cities.
- Before we publish a major story about a region, we ask someone who lives there to read it for accuracy and tone, without sharing anything that could identify a source.
- We have stopped writing "the population" and "the regions" when we mean specific people in specific places.

None of this replaces reporting. Panel members are not sources for news stories, and we do not ask them to take risks on our behalf. But they have made us better at noticing what we cannot see from where we now sit.

When the steelworkers at the Dravik Steel Combine walked out this month, it was our regions correspondent who broke the story. But it was a message from the retired crane operator, sent at six in the morning, that first told us something was happening at the gate. "Go and look," he wrote. Then, a minute later: "Well, you can't. But look anyway."

We did. We always will. And if we get it wrong, we hope you will write and tell us, as he did: politely, specifically, and without your home address.`,
  },
  {
    slug: 'early-elections-halvik-gamble',
    headline: "Early elections are a gamble Halvik thinks he can't lose",
    standfirst:
      'Moving the regional vote to March looks like a show of strength. The economic calendar suggests it may be the opposite.',
    section: 'analysis',
    tags: ['Elections', 'Economy', 'Energy'],
    authors: ['tomas-arendt', 'emil-kastrin'],
    publishedHoursAgo: 52,
    image: {
      alt: 'Illustration: overlapping pale rings on a plum and amber gradient',
      caption: 'Stage lights at a congress of the ruling National Renewal Front in Castrova.',
      credit: 'Archive / Varenia Free Press',
      palette: ['#3c1642', '#f4a259'],
      motif: 'circles',
    },
    body: `On the face of it, the decision to bring Varenia's regional elections forward by six months is a demonstration of confidence. The ruling National Renewal Front controls every regional assembly, the electoral commission, the main television channels and most of the courts that would hear any dispute. Opposition groups are fragmented, underfunded and, in many cases, led by people living abroad.

Why, then, hurry?

## The calendar behind the calendar

The official explanation, that an earlier vote would align elections with the budget cycle, does not survive much scrutiny. Regional budgets for next year have already been drafted, and the referendums the vote will be combined with are minor local questions about administrative boundaries.

A more persuasive explanation lies in the economic calendar. Energy subsidies for households are scheduled to fall in June under an agreement the government made with its creditors last year. Public-sector wage indexation is due in July and, on current inflation figures, will not keep pace with prices. The informal exchange rate has been drifting away from the official one since the spring. By September, the original election date, voters would have felt all of these at once.

> "You call early elections when you believe things will be worse later, not when you believe they will be better," said Irena Holm, a political scientist who studies elections in the region. "The timing tells you what the government expects from the economy."

## Controlled competition

None of this means the ruling party is likely to lose control of any regional assembly. Varenian elections are not designed to produce surprises. The shortened registration period will keep many independent candidates off the ballot, and the introduction of electronic voting in three regions, without an independent audit, adds a new layer of opacity.

But the government cares about more than winning. Regional elections are also a test of loyalty: officials are judged on turnout and on the ruling party's margin in their areas. A weak result in the industrial north, where the steel strike in Dravik has become a focal point of discontent, would be read in Castrova as a failure of local administration. It could trigger the kind of dismissals and infighting that the presidential administration prefers to avoid.

## What to watch

There are three indicators worth following between now and March:

1. The number of opposition and independent candidates who successfully register, compared with the last election.
2. Whether official turnout figures in the northern regions diverge from independent estimates.
3. Whether the government announces new spending, such as one-off payments to pensioners or public-sector workers, before the vote.

The last one matters most. A government confident in its standing does not usually need to pay for it in advance. If the budget is quietly amended in January, it will tell us more about how the presidential administration reads the public mood than any official result in March.

President Teodor Halvik has survived worse moments in his fourteen years in power. The early election is a bet that he can survive this one by moving faster than the economy. The odds may well be in his favour. But it is a gamble, and it is revealing that he felt the need to make it.`,
  },
  {
    slug: 'currency-controls-here-to-stay',
    headline: "Why the National Bank's 'temporary' currency controls are here to stay",
    standfirst:
      'Six months after they were introduced as an emergency measure, the foreign exchange rules have become a pillar of the state budget. Undoing them would be painful.',
    section: 'analysis',
    tags: ['Economy', 'Energy'],
    authors: ['emil-kastrin'],
    publishedHoursAgo: 77,
    image: {
      alt: 'Illustration: a bar chart in dark green and gold beneath a jagged white line',
      caption: 'The gap between the official and informal exchange rates of the Varenian mark has widened since April.',
      credit: 'Graphic: Meridian Dispatch',
      palette: ['#2d3a3a', '#c9a227'],
      motif: 'bars',
    },
    body: `When the National Bank of Varenia introduced currency controls in April, it described them as a "temporary measure to stabilise the exchange rate during a period of exceptional volatility." The rules required exporters to sell half of their foreign-currency earnings at the official rate, limited how much hard currency individuals could buy each month and capped transfers abroad.

Six months on, the volatility has eased, but the controls remain. There are good reasons to think they will outlast the emergency that justified them.

## Who benefits

The simplest explanation is that the controls have become a source of revenue. By forcing exporters to sell foreign currency at an official rate that is about 12 per cent stronger than the rate available on the informal market, the state and the institutions closest to it effectively buy dollars and euros at a discount. Banks with access to the official auction, three of which are state-owned, can then resell that currency to importers holding the right licences.

An analysis of National Bank auction data by The Meridian Dispatch shows that the volume of currency sold to licensed importers has risen every month since April, while the number of companies receiving licences has fallen. In September, five companies accounted for more than half of all allocations. Two of them are energy importers that supply state-owned utilities.

> "Currency controls always create a class of people who benefit from the difference between two prices," said Hanne Corvel, a former deputy governor of the National Bank who now teaches at a university abroad. "Once that class exists, it becomes a constituency for keeping the controls in place."

## The budget problem

The second reason is fiscal. The government's draft budget for next year assumes an exchange rate close to the current official level. Energy subsidies, public-sector wages and payments on the state's foreign debt are all calculated on that basis. If the controls were lifted and the mark fell towards its informal value, the cost of imported gas alone would rise by roughly a tenth, according to our calculations based on published import volumes.

That would leave the government with a choice between raising household energy prices months before elections, or widening a deficit that it can no longer easily finance abroad.

## What it means for ordinary people

For most Varenians, the effects are indirect but real. Imported goods, from medicines to car parts, are increasingly priced at the informal rate, whatever the official rate says. Savings held in marks lose value. Families who depend on money sent by relatives working abroad, roughly one household in seven according to the national statistics office, receive less when transfers are converted at the official rate, and many now use informal channels instead.

Small businesses that import supplies but lack licences face the worst of both worlds: they sell at prices set in marks but buy at prices set by the informal market.

> "Officially, the mark is stable. At the pharmacy, it isn't," said a pharmacist in Castrova who asked that her name not be used.

None of this means the controls cannot be unwound. Other countries have lifted similar restrictions successfully, usually with a credible central bank, a reform programme and outside financial support. Varenia currently has none of the three. Until that changes, the word "temporary" is best understood as a description of the government's hopes rather than its plans.`,
  },
  {
    slug: 'why-we-will-not-stop-publishing',
    headline: 'Why we will not stop publishing',
    standfirst:
      'The government has blocked our website three times and made it a crime to work with us. Here is why we keep going, and why that depends on you.',
    section: 'opinion',
    tags: ['Press freedom', 'Exile'],
    authors: ['tomas-arendt'],
    publishedHoursAgo: 98,
    image: {
      alt: 'Illustration: a city skyline with lit windows against a navy and orange dusk',
      caption: 'Castrova at dusk. Our staff left the city last spring; the reporting did not stop.',
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#1b263b', '#f28f3b'],
      motif: 'skyline',
    },
    body: `Earlier this month, for the third time in a year, Varenia's State Communications Authority ordered the country's internet providers to block The Meridian Dispatch. It was, in its way, a compliment. Governments rarely spend this much effort on publications that nobody reads.

I want to use this space to explain to our readers, inside Varenia and abroad, why we intend to keep publishing, and what it takes to do so.

## What happened to us

Eighteen months ago, we were a small newsroom in Castrova with twelve staff, a rented office above a bakery and a website that about 200,000 people read each month. We covered the courts, city hall, the regions and the economy. We were not a protest movement. We were a newspaper that asked questions and published the answers.

Then the questions became a problem. After our reporting on procurement contracts at the Dravik Steel Combine, tax inspectors visited our office four times in six weeks. Our bank closed our account. In March, the Ministry of Justice declared us an "undesirable organisation," which made it a crime for anyone in Varenia to work with us. Within a month, every member of our staff had left the country.

We did not choose exile. But we chose to keep working.

## What has changed, and what has not

Our newsroom is now spread across three cities. Our reporters cannot attend press conferences in Castrova or knock on doors in Dravik. We rely on a network of sources and readers inside the country, on documents, on open data and on the painstaking verification work described in our recent feature on the night shift.

What has not changed is the job. Our readers still need to know why their wages are late, why their river is polluted, why their elections have been moved and who profits from their port. State media now tells them less about these things than ever. That is precisely why we must tell them more.

> "A newspaper in exile is still a newspaper. What matters is whether it is read at home."

I wrote that sentence on the first day in our new office, and I repeat it to our team every week. By that measure, we are doing better than anyone expected. More people read us each month now than when we were legally published in Castrova, and more than half of them are inside Varenia, using VPNs, our email edition and messaging channels.

## Why it depends on you

We take no money from governments, political parties or the companies we report on. We carry no advertising. Since we were forced out, we have been funded almost entirely by our readers: about 9,000 people who contribute each month, most of them small amounts.

That independence is not a slogan. It is what allows us to publish a story about a powerful businessman without worrying about whose friend he is. It is also fragile. Every block, every designation, every frozen account is an attempt to make journalism like ours too expensive to sustain.

If you read us and can afford to, please consider becoming a member. If you cannot, forward an article to someone who should see it. And if you are inside Varenia, please stay safe: read us in the ways that protect you, and never take risks on our behalf.

We are not going anywhere. Or rather, we have already gone everywhere we needed to, and we are still here.`,
  },
  {
    slug: 'blocking-a-website-is-easy',
    headline: "Blocking a website is easy. Blocking curiosity isn't",
    standfirst:
      "Varenia's censors have more legal power than ever. The evidence from the past year suggests they are losing the argument anyway.",
    section: 'opinion',
    tags: ['Censorship', 'Digital rights', 'Press freedom'],
    authors: ['nadia-sorel'],
    publishedHoursAgo: 121,
    image: {
      alt: 'Illustration: soft blue rings radiating over a dark slate background',
      caption: 'A public Wi-Fi hotspot in central Castrova, one of the ways readers reach blocked sites.',
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#22333b', '#5fa8d3'],
      motif: 'circles',
    },
    body: `There is a particular kind of message we have started to receive since the Law on Information Integrity came into force. It is not a tip, or a complaint, or a request for help. It is a question, usually from someone who has never contacted a news outlet before: "Why did they block you? What did you write?"

Censorship has always had this problem. To suppress information, you must first draw attention to it. A government that blocks a news website is announcing, to everyone who tries to open it, that there is something there it would prefer them not to see.

For years, Varenia's authorities understood this. They relied on subtler tools: state advertising budgets that rewarded friendly outlets, tax inspections for unfriendly ones, and a television landscape in which critical voices simply did not appear. Most people never noticed what they were missing.

## The loud approach

The new law marks a shift to a louder strategy. In its first month, the regulator blocked 38 websites. Each block was published in an official register, reported by foreign media and discussed on messaging channels. The list itself has become a reading guide.

> "The register of blocked sites is now one of the most visited government pages in the country," said Jonas Terevik, a researcher who monitors internet interference in the region. "People go there to find out what they should be reading."

Our own numbers tell the same story. Readership from inside Varenia rose after each of the three blocks against us. So did newsletter sign-ups and downloads of circumvention tools. That is not a triumph; it is a measure of how hungry people are for information their government does not want them to have.

## What the censors can still do

It would be a mistake, though, to conclude that censorship does not work. It works very well on the people it is designed to reach: the casual reader, the older viewer who relies on television, the person who lacks the time or the confidence to install a VPN. Every barrier, however easy for some to climb, is a wall for others.

And the law is not only about blocking. Its provisions on "discrediting" state institutions, on sharing material from undesirable organisations and on data storage by messaging apps are designed to frighten, not just to filter. A blocked website can be reached another way. A source who is afraid to speak cannot.

That is where the real contest lies. The question is not whether Varenians can technically reach independent journalism. Many can. It is whether they will feel safe doing so, and whether the people who give us information will feel safe enough to keep talking to us.

## What we owe our readers

For newsrooms like ours, that means two obligations. The first is to make our journalism as easy and as safe to reach as possible: through email, through mirrors, through pages that load on slow connections and old phones. The second is to be worth the effort. Readers who take a risk to read us deserve reporting that is accurate, careful and useful, not merely defiant.

Blocking a website takes a single signature. Satisfying curiosity takes years of patient, trustworthy work. We intend to keep doing the second, however many times they do the first.`,
  },
  {
    slug: 'dravik-steelworkers-strike-unpaid-wages',
    headline: 'Dravik steelworkers walk out over three months of unpaid wages; police detain organisers',
    standfirst:
      'About 1,200 workers at the Dravik Steel Combine stopped work on Monday. By evening, four members of an independent union had been taken into custody.',
    section: 'news',
    tags: ['Labour', 'Economy', 'Regions'],
    authors: ['leona-vasko'],
    publishedHoursAgo: 146,
    updatedHoursAgo: 140,
    image: {
      alt: 'Illustration: dark industrial silhouettes with scattered lit windows against an orange dawn sky',
      caption: 'The workshops of the Dravik Steel Combine at dawn, before the start of the early shift.',
      credit: 'Archive / Varenia Free Press',
      palette: ['#3b1f2b', '#e76f51'],
      motif: 'skyline',
    },
    body: `Around 1,200 workers at the Dravik Steel Combine, the largest employer in Varenia's industrial north, stopped work on Monday morning in protest at wages they say have not been paid in full since the summer.

Workers gathered outside the plant's main gate from the start of the early shift, holding handwritten signs listing the sums they are owed. Several told The Meridian Dispatch by phone that they had received only partial advances since July, and that the company had stopped explaining the delays.

> "I have worked in the rolling mill for nineteen years. I have never seen anything like this," said one machine operator, who asked not to be named because he feared losing his job. "We are not asking for a raise. We are asking for the money we already earned."

By late afternoon, police had detained four members of the Dravik Metalworkers' Association, an independent union that the plant's management does not recognise. Relatives said the four were being held on suspicion of "organising an unauthorised public event," an administrative offence punishable by a fine or up to fifteen days in custody. A lawyer representing two of them said she had not been allowed to see her clients.

## A plant under pressure

The combine has been owned since 2019 by the Norvalt Group, a holding company controlled by the businessman Anton Reiss, whose firms have won several large state contracts in recent years. In a short statement on its website, Norvalt blamed the delays on "temporary difficulties caused by external market conditions" and said all arrears would be settled "in the coming weeks."

Export data reviewed by the Dispatch suggests the plant's difficulties are real. Shipments of rolled steel through the port of Lenholm fell by almost a third in the first nine months of the year, after currency controls introduced by the National Bank made it harder for exporters to pay foreign suppliers of coking coal and spare parts.

But workers and local officials say that explanation does not account for why wages, rather than other costs, were cut first. Procurement records show the combine continued to pay a Norvalt-owned logistics firm throughout the period.

> "If there is money for the owner's own trucks, there is money for the men who fill them," said Vera Lind, a Dravik city councillor and one of the few independent members of the council.

The regional governor's office said in a statement that it was "monitoring the situation" and urged workers to "resolve disputes through lawful channels." It did not comment on the detentions.

Strikes are rare in Varenia, where the official trade union federation is closely aligned with the government and independent unions face frequent inspections and legal challenges. The last walkout of comparable size, at a Lenholm shipyard in 2021, ended after two days when management agreed to pay arrears. Several of its organisers were dismissed the following year.

Workers at the Dravik plant said they would return to the gate on Tuesday morning.

*Updated: a court in Dravik on Monday night sentenced two of the detained union members to ten days in custody. The other two were released with fines.*`,
  },
  {
    slug: 'regional-elections-moved-forward-six-months',
    headline: 'Electoral commission brings regional elections forward by six months',
    standfirst:
      'Votes in all eleven regions will now take place in March. Opposition groups say the new timetable leaves them too little time to register candidates.',
    section: 'news',
    tags: ['Elections', 'Regions'],
    authors: ['leona-vasko', 'emil-kastrin'],
    publishedHoursAgo: 179,
    image: {
      alt: 'Illustration: a bar chart of rising and falling columns shading from navy to red',
      caption: 'Turnout by region in the last regional elections, as published by the Central Electoral Commission.',
      credit: 'Graphic: Meridian Dispatch',
      palette: ['#1d3557', '#e63946'],
      motif: 'bars',
    },
    body: `Varenia's Central Electoral Commission announced on Friday that elections for all eleven regional assemblies will be held in March, six months earlier than scheduled, in a decision opposition groups described as an attempt to catch them unprepared.

The commission's chair, Ruta Galesh, told a press conference in Castrova that the change would "align the electoral calendar with the budget cycle" and save public money by combining the vote with a series of local referendums already planned for the spring. She said the decision followed a request from the presidential administration and had been approved unanimously by the commission's members.

Under the new timetable, candidates have 30 days to collect signatures and submit their registration documents, instead of the usual 90. Independent candidates and parties without seats in the national parliament must gather signatures from at least 2 per cent of registered voters in their region, a threshold observers have long criticised as one of the highest on the continent.

> "They have cut the time by two thirds and left the hurdle exactly where it was," said Mira Dostal, a coordinator of the Common Ground alliance, which had planned to field candidates in at least seven regions. "This is not about budgets. It is about making sure the ballot looks the way they want it to look."

## What the numbers show

In the last regional elections, four years ago, candidates aligned with the ruling National Renewal Front won 81 per cent of seats, on an official turnout of 47 per cent. Independent observers documented irregularities at about one in eight polling stations they visited, including ballot-stuffing and organised group voting at workplaces.

Since then, economic conditions have worsened, particularly in the industrial north and along the coast. Inflation has exceeded 12 per cent for most of the past year, and several regional governments have delayed payments to public-sector workers. A telephone survey by an independent polling group in September found that approval of regional administrations had fallen below 40 per cent in five regions.

Analysts say the earlier date could help the ruling party avoid campaigning through another difficult summer, when household energy subsidies are due to be reduced.

The commission also announced that, for the first time, voters in three regions will be able to cast ballots electronically through the government's public services app. Digital rights groups have raised concerns about the system, whose source code has not been published and which has never been independently audited.

The presidential administration did not respond to a request for comment. Speaking on state television on Friday evening, a spokesman for President Teodor Halvik said the earlier vote was "a sign of confidence in the people's judgement."

The Meridian Dispatch will publish a guide to the new electoral timetable, including registration deadlines for each region, next week.`,
  },
  {
    slug: 'night-shift-verifying-videos-from-varenia',
    headline: 'The night shift: how we verify videos sent from inside Varenia',
    standfirst:
      'Every evening, dozens of clips arrive from readers in Castrova, Dravik and beyond. Before any of them reaches our pages, a small team checks where, when and whether.',
    section: 'features',
    tags: ['Press freedom', 'Exile', 'Digital rights'],
    authors: ['leona-vasko'],
    publishedHoursAgo: 203,
    image: {
      alt: 'Illustration: apartment blocks with scattered lit windows under a violet night sky',
      caption:
        "Apartment blocks in Dravik's Zavod district at night, the setting of one of the videos our desk verified.",
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#0d1b2a', '#7b6cf6'],
      motif: 'skyline',
    },
    body: `The first video of the evening arrives a little after nine. It is 14 seconds long, filmed from a window: a row of police vans parked outside a grey apartment block, blue lights reflecting on wet asphalt. The message that comes with it says only: "Dravik, now. They're taking people from number 7."

On the verification desk of The Meridian Dispatch, three people look at it at once. Nobody publishes anything yet.

Our newsroom has worked from abroad since it was forced to leave Varenia last spring. Our reporters can no longer walk into a courtroom in Castrova or stand outside a factory gate in Dravik. Much of what we know about events inside the country now comes through the phones of people who are still there: readers, sources, sometimes passers-by who have never contacted a newspaper before.

That makes verification the centre of our work, not a step at the end of it.

## Where, when, whether

Every clip is checked against three questions. Where was it filmed? When? And does it show what the sender says it shows?

For the Dravik video, the answer to the first question comes from the building itself. A distinctive mural on the end wall, a blue-and-yellow mosaic of a steelworker, appears in street-level imagery of the city's Zavod district. The angle of the shot narrows it down to two neighbouring blocks. A second video, sent 20 minutes later from a different number, shows the same vans from the street, with a house number visible.

> "The building will tell you where. The weather, the shadows and the traffic will often tell you when," said Ilse Marang, the Dispatch's visuals editor, who leads the desk. "The hardest question is always the third one: what is actually happening, and what is missing from the frame."

Timing is checked against weather records, the position of the sun and, where possible, other sources. The Dravik clips show rain; weather stations recorded light rain in the city that evening. Most messaging apps strip metadata, so it is rarely useful, and we never ask senders for original files if sharing them might expose them.

## Protecting the people who send

The risks for senders are real. Under the new Law on Information Integrity, passing material to an outlet like ours could be treated as assisting an "undesirable organisation." We do not publish names, bystanders' faces or details that could reveal where a video was filmed from. We delete messages once material has been verified and archived securely, and we advise senders to do the same.

> "People are trusting us with their safety," said Nadia Sorel, the Dispatch's investigations editor. "If we can't verify something without putting them at risk, we don't publish it."

By midnight, the Dravik story has been confirmed by two relatives of people detained and by a lawyer who was called to the police station. Only then does it appear on our site, with faces blurred and the exact location removed.

Roughly one in four videos we receive never reaches publication: some are old footage recirculated, some were filmed in other countries, a few are deliberate fakes. Each rejected clip is logged, because patterns in false material are news, too.

The night shift ends around two in the morning, when the last messages from Varenia slow to a trickle. The desk reopens at seven.`,
  },
  {
    slug: 'media-law-clause-by-clause',
    headline: 'The new media law, clause by clause: what changes for journalists & readers',
    standfirst:
      'The Law on Information Integrity lets the regulator block websites without a court order, creates a crime of "discrediting" the state, and reaches readers as well as reporters.',
    section: 'analysis',
    tags: ['Press freedom', 'Censorship', 'Courts', 'Digital rights'],
    authors: ['nadia-sorel'],
    publishedHoursAgo: 258,
    updatedHoursAgo: 230,
    image: {
      alt: 'Illustration: a grid of rounded tiles in charcoal and orange, brighter towards one corner',
      caption: 'The official register of blocked websites, which the regulator updates several times a week.',
      credit: 'Screenshot / Meridian Dispatch',
      palette: ['#2b2d42', '#ef8354'],
      motif: 'grid',
    },
    body: `The Law on Information Integrity, signed by President Teodor Halvik in September and in force since last month, is the most sweeping change to Varenia's media rules in two decades. Officials describe it as a defence against "foreign disinformation." Its text, which runs to 46 articles, suggests a broader purpose.

We have read the law in full, alongside the explanatory note submitted to parliament and the regulator's first implementing decrees. Here is what it does.

## Blocking without a judge

Article 12 allows the State Communications Authority to order internet providers to block any website it considers "a threat to the constitutional order, public safety or the reputation of the state," without prior approval from a court. Site owners may appeal, but the block stays in place while the appeal is heard.

The law does not define "the reputation of the state." In its first month, the regulator used Article 12 to block 38 websites, including four news outlets, two human rights groups and an online archive of parliamentary debates from the 1990s.

## A new offence of "discrediting"

Article 21 creates the criminal offence of "publicly discrediting state institutions or their officials," punishable by fines or up to three years in prison, rising to five years if committed "using the internet" or "in the interests of a foreign organisation."

> "Almost any critical reporting can be described as discrediting someone," said Pavel Dranov, a constitutional lawyer in Castrova. "The law doesn't say the information must be false. Accuracy is not a defence."

That point is central. Earlier drafts contained a clause exempting "truthful information published in the public interest." It was removed at the second reading without explanation.

## Rules for readers, too

Several provisions apply not to publishers but to their audiences. Article 27 makes it an administrative offence to "distribute" material from an organisation declared undesirable, which lawyers say could include sharing a link on social media. Article 30 requires VPN providers operating in Varenia to register with the regulator and block the sites on its list; unregistered services can themselves be blocked.

The law also obliges messaging apps with more than 100,000 Varenian users to store user data on servers inside the country and hand it to law enforcement "upon lawful request." Two of the three largest messaging services have not said whether they will comply.

## What has not changed

Some things remain the same:

- Reading a blocked website is not, in itself, an offence under the law.
- Subscribing to an email newsletter is not mentioned anywhere in the text.
- The constitution still guarantees, in Article 29, "the freedom to seek, receive and impart information by any lawful means," although the courts have so far declined to apply it against the new law.

## What we are doing

For The Meridian Dispatch, which is already blocked in Varenia and whose staff work from abroad, the law changes less than it might for outlets still inside the country. But it changes a great deal for our sources and readers. We have reviewed how we protect the people who talk to us, and we have published a guide to reading us safely.

> "Our first responsibility is to the people who take risks to give us information," said Tomas Arendt, the Dispatch's editor-in-chief. "We would rather miss a story than expose a source."

We will update this explainer as the regulator issues further decrees and as courts begin to hear cases under the law.

*Updated with the number of websites blocked in the law's first month.*`,
  },
  {
    slug: 'authorities-block-dispatch-third-time-vpn-surge',
    headline: 'Authorities block The Meridian Dispatch for a third time as VPN downloads surge',
    standfirst:
      'The State Communications Authority ordered internet providers to cut access to our new mirror domains overnight. Within hours, readers had found their way back.',
    section: 'news',
    tags: ['Press freedom', 'Censorship', 'Digital rights'],
    authors: ['nadia-sorel'],
    publishedHoursAgo: 290,
    updatedHoursAgo: 284,
    image: {
      alt: 'Illustration: a grid of softly glowing blue squares on a deep navy background',
      caption:
        'Network equipment in a data centre. Varenian providers are expected to apply block orders within hours.',
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#16324f', '#3fa7d6'],
      motif: 'grid',
    },
    body: `Varenia's State Communications Authority (SCA) ordered the country's internet providers on Tuesday night to block three mirror domains operated by The Meridian Dispatch, the third such order against this publication since it was forced to move its newsroom abroad last spring.

The order, published on the regulator's website shortly before midnight, described the domains as "sources of information harmful to public order" and instructed providers to comply "without delay." By early Wednesday, readers in Castrova, Lenholm and Dravik reported that the sites no longer loaded on home broadband or on the two largest mobile networks.

In practice, the block did not last long. Traffic from inside Varenia to our main site, measured through privacy-preserving aggregate counts, fell by roughly 60 per cent in the first three hours and then recovered to near its previous level by mid-afternoon, as readers switched to virtual private networks (VPNs), our email edition and our channels on encrypted messaging apps.

## A familiar pattern

Data from two independent monitoring projects shows a sharp rise in VPN app downloads from Varenian accounts over the same period. One of them, run by volunteer engineers who track network interference in the region, recorded more than four times the usual daily number of installs on Wednesday.

> "Every time they block a news site, they are effectively running an advertising campaign for circumvention tools," said Jonas Terevik, a network researcher who coordinates the project. "People who had never thought about a VPN install one that evening, and most of them keep it."

The SCA did not respond to written questions from The Meridian Dispatch about the legal basis for the order. Under the Law on Information Integrity, which entered into force last month, the regulator may restrict access to websites without a court ruling if it deems their content "a threat to the constitutional order." Appeals must be filed within ten days, and courts have so far rejected every one.

The previous two blocks, in April and August, followed our reporting on procurement contracts at the Dravik Steel Combine and on the detention of election observers in the eastern regions. The latest order came a day after we published an investigation into the finances of a state-backed construction consortium.

## How to keep reading

Readers inside Varenia can continue to reach our journalism in several ways:

- subscribe to the daily email edition, which is sent from servers outside the country;
- use a reputable VPN or the Tor Browser;
- follow our channels on encrypted messaging apps, where every article is posted in full;
- ask a friend abroad to forward our newsletter.

We will never ask readers to install software from an unknown source, and we will never contact you asking for passwords or payment details. If you receive such a message in our name, please treat it as fraudulent and report it to us.

> "We are a newsroom, not a website," said Tomas Arendt, the Dispatch's editor-in-chief. "The address can change as often as the regulator likes. The reporting will keep coming."

*This story has been updated with traffic figures for Wednesday afternoon.*`,
  },
  {
    slug: 'lenholm-port-fees-grain-exporters-shortfall',
    headline: 'Grain exporters warn of shortfall after Lenholm port fees double',
    standfirst:
      'A new "infrastructure levy" at Varenia\'s main seaport has added weeks of delay and millions in costs, traders say, just as the harvest reaches the docks.',
    section: 'news',
    tags: ['Economy', 'Regions'],
    authors: ['emil-kastrin'],
    publishedHoursAgo: 331,
    image: {
      alt: 'Illustration: layered blue waves under a pale sun',
      caption: 'The sea approach to Lenholm, where grain vessels now wait days for a free berth.',
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#0b3954', '#bfd7ea'],
      motif: 'waves',
    },
    body: `Varenian grain exporters have warned that the country could miss its export targets this season after the operator of the port of Lenholm more than doubled handling fees at the start of the harvest, adding costs that traders say many small farms will not be able to absorb.

The new charges, described in a notice to shipping agents as an "infrastructure modernisation levy," took effect on the first of the month with eight days' warning. Under the revised tariff, loading a tonne of wheat at Lenholm's grain terminal now costs the equivalent of about 14 euros, up from 6 euros last season, according to documents seen by The Meridian Dispatch.

Lenholm handles roughly 70 per cent of Varenia's seaborne grain exports. Its grain terminal has been run since 2020 by Baltora Logistics, whose ultimate ownership is held through a chain of companies registered in three jurisdictions. Corporate filings reviewed by the Dispatch show that one of Baltora's directors previously sat on the board of a firm in the Norvalt Group, the holding company controlled by the businessman Anton Reiss.

> "We signed contracts with buyers in the spring, based on last year's costs. Now we either take a loss on every shipment or we break the contract," said Aldo Presk, who runs a cooperative of 40 family farms in the southern plains. "Some of our members are already talking about leaving fields unharvested."

## Queues at the terminal

Traders also report long delays. Several said lorries were waiting up to five days to unload at the terminal, compared with one or two days in a typical season, and that the port had reduced the number of berths available for grain vessels while it carried out "scheduled works."

Baltora Logistics did not respond to questions sent by email. In a statement carried by a state news agency, the company said the levy would fund "urgently needed upgrades" to storage and loading equipment and that its fees remained "competitive by regional standards."

The Ministry of Agriculture has said it is aware of exporters' concerns and will "study the matter." Officials have not indicated whether they will intervene, although the government has previously capped port charges for other goods, including fertiliser.

## A wider squeeze

The port fees come on top of the currency controls introduced by the National Bank in the spring, which require exporters to convert half of their foreign-currency earnings into Varenian marks at the official rate within five days. Traders say that rule already reduces their effective income by between 8 and 15 per cent, given the gap between the official rate and the rate available on the informal market.

Economists estimate that agriculture accounts for about 9 per cent of Varenia's economic output and a much larger share of jobs in the south and east, where alternative work is scarce.

> "Farmers are price-takers at every stage: seed, fuel, transport, the port," said Elin Varga, an agricultural economist who left a state research institute last year. "When one monopoly raises its prices, there is nobody further down the chain to pass the cost to."

The Varenian Grain Union, an industry body, has asked the competition authority to review the levy. A decision is not expected before the end of the harvest.`,
  },
  {
    slug: 'castrova-librarians-shelf-the-censors-cant-find',
    headline: "The librarians of Castrova keep a shelf the censors can't find",
    standfirst:
      'As books are quietly withdrawn from public collections, a group of librarians has built a lending network of its own, one trusted borrower at a time.',
    section: 'features',
    tags: ['Censorship', 'Civil society'],
    authors: ['ilse-marang', 'leona-vasko'],
    publishedHoursAgo: 417,
    image: {
      alt: 'Illustration: a row of upright columns in warm browns and amber, like books on a shelf',
      caption: 'Shelves in a district library in Castrova, where withdrawn titles have left visible gaps.',
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#5e3023', '#e0a96d'],
      motif: 'bars',
    },
    body: `The list arrives by email, usually on a Monday. It has no letterhead and no signature, just a spreadsheet of titles and a single instruction: "Withdraw from open access." Librarians in Castrova have received seven such lists in the past two years, each longer than the last.

The first, in 2022, contained eleven books, mostly memoirs by former political prisoners and histories of the country's transition in the 1990s. The most recent, sent in September, contains 340 titles, including novels, poetry collections, a popular guide to the Varenian constitution and several children's books by authors who have since emigrated.

> "Nobody ever told us to burn anything. That would make the news," said a librarian at one of the city's district branches, who has worked there for more than twenty years. "Instead, books simply stop being available. They are 'being repaired.' They are 'on loan.' Quietly, they disappear."

Withdrawn books are supposed to be transferred to a restricted collection at the National Library, where they can be consulted only with written permission. In practice, several librarians told The Meridian Dispatch, many are simply boxed up in basements or written off as damaged.

## A parallel catalogue

That is where the shelf comes in. It is not a single shelf, and it is not in any one library. It is a loose network of librarians, teachers and readers who have taken withdrawn books home rather than see them pulped, and who lend them to people they trust.

There is a catalogue, kept in an encrypted document. It lists about 1,800 titles and, next to each one, a code indicating which member of the network holds a copy. Anyone who wants to borrow a book asks someone they know, who asks someone they know. Books come back the same way.

> "It works like a lending library in the nineteenth century," said one of the network's organisers, a retired cataloguer. "You need a recommendation to join, and you return books on time because your friend vouched for you."

The network has rules. Members do not lend to strangers. They do not lend books formally banned by a court, a category that remains small. They do not discuss the network on social media. And they keep records only of titles, never of borrowers.

## Why it matters

For the people involved, the motive is less political than professional. Librarians spoke of a duty to preserve collections, and of the principle, taught in their training, that a library should not judge what a reader wants to read.

> "A library is a promise that the book will be there when you need it," the retired cataloguer said. "We are just trying to keep the promise."

The risk is not trivial. Under the new Law on Information Integrity, distributing material from an "undesirable" organisation is an offence, and some of the withdrawn titles were published by foreign foundations now on that list. Members of the network say they understand the risk and have agreed on what to do if one of them is questioned: say nothing, and let the others know.

During a video call with the Dispatch, the organiser held up a worn poetry collection, its cover wrapped in brown paper. On the inside flap, in pencil, were the initials of eleven previous borrowers. The book was withdrawn from the city's central library in March. Since then, it has not spent a single week on a shelf.`,
  },
  {
    slug: 'selvara-river-town-counts-what-the-dam-took',
    headline: 'Along the Selvara, a river town counts what the dam took',
    standfirst:
      "Forty years after the Vellmar Dam was built upstream, Brennik's fishing boats are gone and its wells run dry each August. One volunteer is writing it all down.",
    section: 'features',
    tags: ['Environment', 'Regions', 'Civil society'],
    authors: ['ilse-marang'],
    publishedHoursAgo: 489,
    image: {
      alt: 'Illustration: layered teal hills beneath a pale golden sun',
      caption: 'Hills above the Selvara valley, upstream from Brennik, at first light.',
      credit: 'Ilse Marang / Meridian Dispatch',
      palette: ['#264653', '#e9c46a'],
      motif: 'mountains',
    },
    body: `In the archive room of Brennik's small history museum, Greta Solvan keeps a ledger that nobody asked her to keep. It records, year by year, the things the town has lost since the Vellmar Dam was completed upstream in 1984: the last commercial fishing boat, sold for scrap in 1991; the riverside bathing beach, closed in 2003; the orchard cooperative, dissolved in 2012 after three dry summers.

> "Officials talk about what the dam produced: electricity, irrigation, the fertiliser plant," said Solvan, a retired schoolteacher who has volunteered at the museum for fifteen years. "Nobody wrote down what it cost. So I started."

Brennik sits on a bend of the Selvara, Varenia's longest river, about 60 kilometres downstream from the dam. For centuries it was a fishing and market town. Old photographs in the museum show wooden jetties crowded with boats and women selling smoked eel on the quay.

Today the river at Brennik is wide and slow, its banks lined with reeds where the current used to run. In late summer, residents say, the level drops so low that sandbanks appear in the middle of the channel.

## Dry wells and missing reports

The dam is only one of the pressures on the river. Farms draw more water than they once did, summers have become hotter, and the fertiliser plant built beside the reservoir has, according to independent testing, discharged heavy metals into the water. Regional authorities insist that pollution is within legal limits, but have not published their own data since 2019.

For residents, the most tangible change is underground. Many of Brennik's older houses still rely on shallow wells, and over the past decade more of them have run dry each August.

> "My grandmother's well never failed, not once in her life," said Oskar Lind, who runs a hardware shop on the main square. "Now every summer I sell more water tanks than anything else."

Until it was forced to close its local office this year, Selvara Water Watch, an environmental group founded in Brennik, collected monthly water samples along the river. Its volunteers still take readings, now publishing them through partners abroad after the group was labelled a "foreign agent."

## The keepers of memory

Solvan's ledger has become something of a community project. Neighbours bring her photographs, letters and the occasional object: a rusted eel trap, a ticket for the riverboat that once ran to the coast. Schoolchildren, with the encouragement of a sympathetic teacher, have recorded interviews with elderly residents about the river they remember.

The museum's director is careful to describe the work as local history rather than activism. In a town where the environmental group was branded an agent of foreign interests, that distinction matters.

> "We are not protesting anything. We are remembering," said the director, who asked that her name not be published. "Though I suppose, these days, that can amount to the same thing."

Not everyone in Brennik shares Solvan's sense of loss. The fertiliser plant is the town's largest employer, and several residents told The Meridian Dispatch that without it there would be no jobs at all. Many younger people have already left for Castrova or for work abroad.

On the last page of the ledger, Solvan has begun a new list. It is headed "What remains." So far it has four entries: the church, the museum, the reeds and the herons.`,
  },
];
