// Everyday symptom words that a negation may list before the sign it is about ("没有发烧咳嗽胸痛",
// "denies fever cough or chest pain"). Used only to let negation run across such a list.

export const chineseSymptomWords = [
  '发烧', '发热', '高烧', '低烧', '咳嗽', '咳痰', '头痛', '头疼', '头晕', '恶心', '呕吐', '腹泻', '拉肚子', '胸闷', '胸痛',
  '气短', '气促', '心慌', '心悸', '乏力', '腹痛', '肚子疼', '肚子痛', '出汗', '寒战', '鼻塞', '流涕', '咽痛', '嗓子疼',
  '皮疹', '抽搐', '昏迷', '出血', '便血', '黑便', '呕血', '咯血', '水肿', '麻木', '无力', '头昏', '眼花', '黄疸',
]

export const englishSymptomWords = [
  'fever', 'fevers', 'cough', 'coughing', 'headache', 'headaches', 'nausea', 'vomiting', 'diarrhea', 'diarrhoea',
  'dizziness', 'sweating', 'sweats', 'palpitations', 'rash', 'bleeding', 'weakness', 'numbness', 'chills', 'fatigue',
  'pain', 'swelling', 'wheeze', 'wheezing', 'confusion', 'seizures', 'syncope',
]
