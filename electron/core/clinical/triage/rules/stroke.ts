// Stroke signs (BE-FAST): a face that droops, an arm or leg that goes weak or numb on one side,
// speech that slurs or stops, or the patient's family saying it is a stroke. A sign that passed
// (a TIA) still counts; one that has been there for months does not.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

const side = '(?:一侧|半边|单侧|一边|左侧|右侧|左边|右边|左|右)'
const limb = '(?:身体|身子|半身|肢体|手脚|手和脚|胳膊|手臂|上肢|下肢|手|脚|腿)'

export const faceDroop: Sign = {
  name: 'face drooping',
  acuteOnly: true,
  patterns: [
    rx`(?:口角|嘴角|嘴巴?|脸|面部|口眼)${G}{0,3}(?:歪|斜)|(?:口角|嘴角)(?:下垂|耷拉)|面瘫|${side}(?:脸|面部)${G}{0,3}(?:麻|动不了|没感觉|歪|下垂|不听使唤)|(?:喝水|吃饭)${G}{0,4}从嘴角(?:漏|流)|吃饭漏饭|喝水漏水|(?:饭|水)从嘴(?:角|边)(?:漏|流)`,
    rx`\bface (?:is )?(?:drooping|droopy|droops|dropped|lopsided)|\bface (?:looks|is|went) (?:odd|crooked|uneven|lopsided) on (?:the|one) (?:left|right|side)\b|\bdroop(?:ing|y)? (?:face|mouth|smile)\b|\b(?:mouth|smile) (?:is )?(?:drooping|lopsided|crooked)\b`,
  ],
}

export const oneSidedWeakness: Sign = {
  name: 'one-sided weakness or numbness',
  acuteOnly: true,
  patterns: [
    // Not 痛到左边胳膊都麻了: pain spreading into the arm is the heart's sign, not the brain's.
    rx`(?<!(?:痛|疼|放射)(?:到|至|得)?)${side}${limb}${G}{0,4}(?:无力|没力|没劲|麻|不能动|动不了|抬不起|举不起|不听使唤|拿不住|使不上劲|没知觉|没有知觉|瘫|发软)`,
    rx`偏瘫|半身不遂|(?:手|突然)${G}{0,2}拿不住(?:东西|筷子|杯子)|(?:筷子|杯子)${G}{0,2}(?:突然)?(?:掉了|拿不住)|走路(?:突然)?(?:往|向)一边(?:倒|偏)`,
    rx`\b(?:can't|cannot|unable to|not able to|couldn't) (?:lift|raise|move|use|feel) (?:his|her|my|one|the) (?:right |left )?(?:arm|leg|hand|side)\b|\b(?:one|left|right) side (?:of (?:his|her|my|the) (?:body|face) )?(?:is |feels |went |has gone )?(?:weak|numb|paralys|dead)|\b(?:left|right|one) (?:arm|leg|hand) (?:is |went |has gone |feels )?(?:weak|numb|dead|limp)\b|\bweak(?:ness)? (?:in|on) (?:his|her|my|the|one) (?:left |right )?(?:side|arm|leg)\b|\b(?:his|her|my) (?:left |right )?(?:arm|leg|hand) (?:suddenly )?(?:went|has gone|had gone|goes|turned|is going) (?:weak|numb|dead|limp|floppy)\b|\b(?:can't|cannot|couldn't|unable to) (?:lift|raise|hold up) both (?:arms|hands)\b`,
  ],
}

export const slurredSpeech: Sign = {
  name: 'slurred or lost speech',
  acuteOnly: true,
  patterns: [
    // Not 说话还不清楚 (a toddler learning to talk).
    rx`(?:说话|讲话|口齿|吐字|言语)(?!还)(?:也|都|突然|有点|有些|变得|一下子){0,3}(?:不清|含含糊糊|含糊|含混|不利索|大舌头)|大舌头|突然(?:都)?说不(?:出|了)(?:话|来)?|(?<!(?:喘|气紧|气短|气促|憋气|呼吸困难|上不来气|透不过气|喘不过气)[^。;!?\n]{0,40})话(?:都)?说不(?:出|了)(?:话|来)?|(?<!(?:喘|咳|哭|疼|痛|憋|累|哑了?)得?)(?:说|讲)不出话|不会说话了|失语|答非所问|听不懂(?:别人)?(?:说)?话`,
    rx`\bslurr|\b(?:can't|cannot|unable to|not able to|trouble|difficulty) (?:speak|speaking|talk|talking|get (?:his|her|my) words out|say (?:his |her |my |the )?words)\b|\b(?:can't|cannot|doesn't|does not|couldn't) understand (?:what|me|anything|words)\b|\bwords (?:are |were )?(?:jumbled|garbled|muddled|mixed up)\b|\bspeech (?:is )?(?:slurred|garbled)\b|\b(?:speech|talking|voice) (?:was |is |has |had )?(?:suddenly )?(?:went |gone |sounded |sounds |seemed |seems )?(?:funny|strange|weird|odd|off|muddled|wrong|jumbled)\b|\btalking (?:funny|gibberish)\b|\bwords (?:are |were )?coming out wrong\b`,
  ],
}

export const strokeNamed: Sign = {
  name: 'a stroke happening now',
  patterns: [
    rx`(?:中风|脑梗(?:塞|死)?|脑卒中|卒中|脑溢血|脑出血)(?:了|发作)|(?:突发|又|刚|刚刚|刚才|可能|好像)${G}{0,2}(?:中风|脑梗|脑卒中|脑溢血|脑出血)`,
    // Not "my friend's dad had a stroke": a bare "had" needs a time of now or a guess about now.
    rx`\b(?:having|has had|'s had|has just had|just had|is having|suffered) a stroke\b|\bhad a stroke (?:this|today|tonight|just|last night|an? (?:hour|few)|\d+ (?:minutes|hours) ago)\b|\b(?:think|thinks|maybe|might have|may have|could have|probably) (?:\w+ ){0,2}(?:had|having) a stroke\b`,
  ],
}

export const strokeRules: TriageRule[] = [
  {
    id: 'stroke.be-fast',
    category: 'stroke',
    level: 'emergency',
    needs: [[faceDroop, oneSidedWeakness, slurredSpeech, strokeNamed]],
    action: {
      'zh-CN': '疑似卒中：立即拨打 120 送往有卒中中心的医院，记下最后正常的时间（溶栓、取栓有时间窗），测血糖，禁食禁水。',
      en: 'Possible stroke: call 120 for a hospital with a stroke centre now, note when the patient was last seen well (clot treatment is time-limited), check glucose, nothing by mouth.',
    },
  },
]
