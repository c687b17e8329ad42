/** The tutorial's contract: each path and the body it answers, byte for byte. */
export const CONTRACT = [
  ['/', 'Hallo from CORE!'],
  ['/Kalimaha/', 'Hallo Kalimaha from CORE!'],
  ['/blueprint/', 'Hallo!'],
  ['/blueprint/Kalimaha/', 'Hallo Kalimaha!'],
] as const;
