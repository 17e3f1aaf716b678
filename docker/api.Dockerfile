# Correio API (REST, SMTP; later IMAP, POP3, delivery). Build from the repository root:
#   docker build -f docker/api.Dockerfile -t correio-api .
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY libs ./libs
COPY apps/api ./apps/api
COPY apps/web/package.json ./apps/web/package.json
RUN npm ci --no-audit --no-fund && npx turbo run build --filter=@correio/api... && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production CORREIO_BIND=0.0.0.0 LOG_FORMAT=json CORREIO_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
# REST API, SMTP MX and submission (unprivileged ports; compose maps 25/587/465 to them).
EXPOSE 3001 2525 2587 2465
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3001/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "apps/api/dist/main.js"]
