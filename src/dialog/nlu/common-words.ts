/**
 * Common English words that are never typos, though a shop bot may not use them: each is one
 * edit from some bot's word ("chance" / change, "sore" / sure, "shot" / shop, "pant" / part).
 * The bot's own vocabulary is added to these; this list only keeps everyday words out of reach.
 */
export const COMMON_WORDS: readonly string[] = `
about above after again against almost alone along already also although always among angry animal another answer anyone anything anyway
area around arrive away baby back bake bank base bath bear beat become been before begin behind being believe best better between bike bird
birthday bite black blue boat body bone book born both bottle bought bowl brain bread break bring brother brown build burn busy butter
buy cake call came camp card care carry case cast catch cause chair chance cheap check cheese child choose city class clean clear clock
close cloth cloud coat coffee cold come cook cool corner cost could count country course cover crazy cream cute dance dark date daughter
dead deal dear deep desk diet dinner dirty doctor dollar done door down draw dream dress drink drive drop dry duck during early earth easy
east edge else empty enough even ever every everyone exactly face fact fair fall family famous fancy farm fast father fear feel fell felt
field fight fill film find fine finger finish fire first fish five floor flower fly food foot form four free fresh friend from front fruit
full fun funny game garden gate gave gift girl give glad glass gold gone good great green grow guess hair half hall hand hang happen happy
hard hate head health hear heart heat heavy hell help here high hill hold hole holiday home hope horse hospital hot hotel hour house how
huge hurt idea ill into iron island join joke juice jump just keep kept kill kind king kiss kitchen knew knife know lady lake land large
last late laugh lazy lead learn least leave left less letter life light like line lion list listen little live lock long look lose lost
loud love lovely low luck lunch made mail main make male many mark market may meal mean meat meet melt might mile milk mind mine minute
miss moment money month moon more most mother mouse mouth move movie much music must name near neck need never news next nice night
none noon north nose note nothing notice often oil old once only open other over own page paint pair paper park part party pass past
path pay pen people perhaps person pet phone photo pick picture piece pink place plan plant play please pocket point pool poor post
pot pour power pray pretty price print quiet quite race rain read ready real really red remember rest rice rich ride right ring rise
river road rock roll room rose round rule sad safe said salt sand sat save saw say school sea seat second seem seen sell send sense
sent set seven shape share sharp sheep shirt shot should shout show shut sick side sign silly simple sing sister sit six sky sleep slow
small smell smile snow soft some son song soon sore sorry sort sound soup south space speak spend sport spring stand star start state
stay step still stone stop store story street strong study such sugar summer sun sure sweet swim table tail take talk tall taste tea
teach team tell ten test than thank that their them then there these they thing think those though three through tie tired today
together told tomorrow tonight took top touch town toy train travel tree trip true try turn twice under until upon very visit voice
wait walk wall warm wash watch water wave weak wear week well went were west what wheel when where which while white whole why wide
wife wild will wind window wine wing winter wish with woman wonder wood word work world worry would write wrong year yellow young
`
  .trim()
  .split(/\s+/);
